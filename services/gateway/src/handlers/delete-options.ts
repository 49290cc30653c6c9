// DeleteOptions from the query (gracePeriodSeconds, propagationPolicy, orphanDependents,
// dryRun) overlaid with a body DeleteOptions (JSON/YAML/protobuf). kube reads the body when
// there is one and the query otherwise; overlaying gives the same result for every client
// that uses one or the other, and never drops a query dryRun=All. Validated as kube's
// ValidateDeleteOptions (422 on DeleteOptions.meta.k8s.io).
import {
  type FieldError,
  invalid,
  newBadRequest,
  newInvalid,
  notSupported,
} from '@splitplane/apimachinery';
import { decodeToObject } from '../negotiation/decode-body.js';
import { int64, optionalBool, validateDryRun } from './options.js';

export interface DeleteOptionsJson {
  kind: 'DeleteOptions';
  apiVersion: string;
  gracePeriodSeconds?: number;
  propagationPolicy?: string;
  orphanDependents?: boolean;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: string[];
  [key: string]: unknown;
}

const PROPAGATION_POLICIES = ['Background', 'Foreground', 'Orphan'];

export function deleteOptions(
  query: URLSearchParams,
  body: Buffer,
  contentType: string | undefined,
): DeleteOptionsJson {
  const opts: DeleteOptionsJson = { kind: 'DeleteOptions', apiVersion: 'meta.k8s.io/v1' };
  if (query.has('gracePeriodSeconds'))
    opts.gracePeriodSeconds = Number(int64(query, 'gracePeriodSeconds'));
  const policy = query.get('propagationPolicy');
  if (policy) opts.propagationPolicy = policy;
  const orphan = optionalBool(query, 'orphanDependents');
  if (orphan !== undefined) opts.orphanDependents = orphan;
  const dryRun = query.getAll('dryRun');
  if (dryRun.length) opts.dryRun = dryRun;

  if (body.length > 0) {
    const fromBody = decodeToObject(body, contentType, 'DeleteOptions');
    if (fromBody.kind !== undefined && fromBody.kind !== 'DeleteOptions') {
      throw newBadRequest(`expected DeleteOptions, got ${String(fromBody.kind)}`);
    }
    for (const [k, v] of Object.entries(fromBody)) {
      if (k === 'kind' || k === 'apiVersion' || v === undefined || v === null) continue;
      (opts as Record<string, unknown>)[k] = v;
    }
  }

  const errs: FieldError[] = [];
  if (opts.dryRun !== undefined) {
    if (!Array.isArray(opts.dryRun))
      throw newBadRequest('DeleteOptions.dryRun must be a list of strings');
    errs.push(...validateDryRun(opts.dryRun));
  }
  if (opts.orphanDependents !== undefined && opts.propagationPolicy !== undefined) {
    errs.push(
      invalid(
        'propagationPolicy',
        opts.propagationPolicy,
        'orphanDependents and deletionPropagation cannot be both set',
      ),
    );
  }
  if (
    opts.propagationPolicy !== undefined &&
    !PROPAGATION_POLICIES.includes(opts.propagationPolicy)
  ) {
    errs.push(notSupported('propagationPolicy', opts.propagationPolicy, PROPAGATION_POLICIES));
  }
  if (errs.length) throw newInvalid({ group: 'meta.k8s.io', kind: 'DeleteOptions' }, '', errs);
  return opts;
}
