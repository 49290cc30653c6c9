// DeleteOptions from the request body, validated as kube's ValidateDeleteOptions does.
import {
  invalid,
  newBadRequest,
  newInvalid,
  notSupported,
  type FieldError,
} from '@splitplane/apimachinery';
import type { Preconditions } from '@splitplane/storage';

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  preconditions?: Preconditions;
  propagationPolicy?: string;
  orphanDependents?: boolean;
}

const POLICIES = ['Foreground', 'Background', 'Orphan', 'nil'];

export function parseDeleteOptions(bytes: Uint8Array): DeleteOptions {
  if (bytes.length === 0) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (err) {
    throw newBadRequest(
      `the object provided is unrecognized (must be of type DeleteOptions): ${(err as Error).message}`,
      err,
    );
  }
  if (raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw newBadRequest('the object provided is unrecognized (must be of type DeleteOptions)');
  }
  const o = raw as Record<string, unknown>;
  const opts: DeleteOptions = {};
  const errs: FieldError[] = [];
  if (o.gracePeriodSeconds !== undefined && o.gracePeriodSeconds !== null) {
    if (typeof o.gracePeriodSeconds !== 'number' || !Number.isInteger(o.gracePeriodSeconds)) {
      throw newBadRequest('DeleteOptions: gracePeriodSeconds must be an integer');
    }
    opts.gracePeriodSeconds = o.gracePeriodSeconds;
  }
  const pre = o.preconditions as { uid?: unknown; resourceVersion?: unknown } | undefined | null;
  if (pre && typeof pre === 'object') {
    const p: Preconditions = {};
    if (typeof pre.uid === 'string' && pre.uid) p.uid = pre.uid;
    if (typeof pre.resourceVersion === 'string' && pre.resourceVersion)
      p.resourceVersion = pre.resourceVersion;
    opts.preconditions = p;
  }
  if (typeof o.orphanDependents === 'boolean') opts.orphanDependents = o.orphanDependents;
  if (o.propagationPolicy !== undefined && o.propagationPolicy !== null) {
    const policy = String(o.propagationPolicy);
    opts.propagationPolicy = policy;
    if (opts.orphanDependents !== undefined) {
      errs.push(
        invalid(
          'propagationPolicy',
          policy,
          'orphanDependents and deletionPropagation cannot be both set',
        ),
      );
    }
    if (!POLICIES.slice(0, 3).includes(policy))
      errs.push(notSupported('propagationPolicy', policy, POLICIES));
  }
  if (errs.length) throw newInvalid({ group: 'meta.k8s.io', kind: 'DeleteOptions' }, '', errs);
  return opts;
}
