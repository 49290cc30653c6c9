// core/v1 Event strategy (kube's legacyValidateEvent): namespaces agree with the
// involved object; new-style events (eventTime set) carry reporting fields.
import type { ResourceDefinition } from '@splitplane/scheme';
import { type FieldError, invalid, required, tooLong } from '@splitplane/apimachinery';
import type { Strategy } from '../strategy.js';
import { buildStrategy } from '../internal/base.js';
import { type JsonObject, isObject } from '../internal/json.js';
import { each, isQualifiedName } from '../internal/meta.js';

const LIMITS = { reportingInstance: 128, action: 128, reason: 128, message: 1024 };

function str(obj: JsonObject, k: string): string {
  return typeof obj[k] === 'string' ? obj[k] : '';
}

function validateEvent(ev: JsonObject): FieldError[] {
  const errs: FieldError[] = [];
  const meta = isObject(ev['metadata']) ? ev['metadata'] : {};
  const ns = str(meta, 'namespace');
  const involved = isObject(ev['involvedObject']) ? ev['involvedObject'] : {};
  const involvedNs = str(involved, 'namespace');
  const mismatch = () =>
    invalid('involvedObject.namespace', involvedNs, 'does not match event.namespace');
  if (!ev['eventTime']) {
    if (involvedNs === '') {
      if (ns !== '' && ns !== 'default') errs.push(mismatch());
    } else if (ns !== involvedNs) {
      errs.push(mismatch());
    }
  } else {
    if (involvedNs === '' && ns !== 'default' && ns !== 'kube-system') errs.push(mismatch());
    const rc = str(ev, 'reportingComponent');
    if (rc === '') errs.push(required('reportingComponent', ''));
    errs.push(...each('reportingComponent', rc, isQualifiedName(rc)));
    for (const f of ['reportingInstance', 'action', 'reason'] as const) {
      if (str(ev, f) === '') errs.push(required(f, ''));
      if (str(ev, f).length > LIMITS[f]) errs.push(tooLong(f, LIMITS[f]));
    }
    if (str(ev, 'message').length > LIMITS.message) errs.push(tooLong('message', LIMITS.message));
  }
  return errs;
}

export function eventStrategy(def: ResourceDefinition): Strategy {
  return buildStrategy(def, { validate: validateEvent });
}
