// Namespace strategy (pkg/registry/core/namespace): Active on create, the "kubernetes"
// finalizer in spec, and the kubernetes.io/metadata.name label.
import type { ResourceDefinition } from '@splitplane/scheme';
import { type FieldError, validateFinalizerName } from '@splitplane/apimachinery';
import type { Strategy } from '../strategy.js';
import { buildStrategy } from '../internal/base.js';
import { type JsonObject, clone, ensureObject, isObject, strings } from '../internal/json.js';
import { NAME_DNS_LABEL } from '../internal/meta.js';
import { child } from '../internal/path.js';

export const METADATA_NAME_LABEL = 'kubernetes.io/metadata.name';

export function defaultNamespace(ns: JsonObject): void {
  const meta = ensureObject(ns, 'metadata');
  if (typeof meta['name'] === 'string' && meta['name'] !== '')
    ensureObject(meta, 'labels')[METADATA_NAME_LABEL] = meta['name'];
  const status = ensureObject(ns, 'status');
  if (status['phase'] === undefined || status['phase'] === '') status['phase'] = 'Active';
}

function validateNamespaceSpec(ns: JsonObject): FieldError[] {
  const spec = isObject(ns['spec']) ? ns['spec'] : {};
  const errs: FieldError[] = [];
  // kube reports these on the list path, without an index.
  for (const f of strings(spec['finalizers']))
    errs.push(...validateFinalizerName(f, child('spec', 'finalizers')));
  return errs;
}

export function namespaceStrategy(def: ResourceDefinition): Strategy {
  return buildStrategy(def, {
    nameRule: NAME_DNS_LABEL,
    defaults: defaultNamespace,
    prepareForCreate(ns) {
      ns['status'] = { phase: 'Active' };
      const spec = ensureObject(ns, 'spec');
      const finalizers = strings(spec['finalizers']);
      if (!finalizers.includes('kubernetes')) finalizers.push('kubernetes');
      spec['finalizers'] = finalizers;
    },
    prepareForUpdate(ns, old) {
      // spec.finalizers change only through the finalize subresource.
      const spec = ensureObject(ns, 'spec');
      const oldSpec = isObject(old['spec']) ? old['spec'] : {};
      if (oldSpec['finalizers'] === undefined) delete spec['finalizers'];
      else spec['finalizers'] = clone(oldSpec['finalizers']);
    },
    validate: validateNamespaceSpec,
  });
}
