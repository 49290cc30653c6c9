// AdmissionReview (admission.k8s.io/v1): the request kube sends and the checks it applies
// to the answer before trusting it.
import type { Status } from '@splitplane/apimachinery';
import type { KubeObject } from '@splitplane/scheme';
import type { AdmissionAttributes } from '../chain/plugin.js';
import type { GroupVersionKind } from '@splitplane/proto';
import type { WebhookInvocation } from './match.js';
import type { ObjectVersionConverter } from './types.js';

export const ADMISSION_REVIEW_VERSION = 'admission.k8s.io/v1';

/** The AdmissionReview versions kube can send, by admissionReviewVersions entry. */
export type ReviewVersion = 'v1' | 'v1beta1';

/** The first entry kube knows, as kube picks it; undefined when none is known. */
export function pickReviewVersion(versions: readonly string[]): ReviewVersion | undefined {
  return versions.find((v): v is ReviewVersion => v === 'v1' || v === 'v1beta1');
}

export interface AdmissionResponse {
  uid: string;
  allowed: boolean;
  status?: Partial<Status>;
  patch?: string;
  patchType?: string;
  warnings?: string[];
  auditAnnotations?: Record<string, string>;
}

export const apiVersionOf = (gv: { group: string; version: string }) =>
  gv.group ? `${gv.group}/${gv.version}` : gv.version;

/** The default converter: relabels the object, leaving its fields as they are. */
export const relabelingConverter: ObjectVersionConverter = {
  convert(object, to) {
    const apiVersion = apiVersionOf(to);
    if (object.apiVersion === apiVersion) return object;
    return { ...object, apiVersion };
  },
};

/** The object as the invocation's version; objects already of that version pass through. */
export function toVersion(
  converter: ObjectVersionConverter,
  obj: KubeObject | undefined,
  to: GroupVersionKind,
): KubeObject | undefined {
  if (!obj || obj.apiVersion === apiVersionOf(to)) return obj;
  return converter.convert(obj, to);
}

/** The operation's options as a typed meta.k8s.io/v1 object, as kube sends them. */
const OPTIONS_KIND: Partial<Record<string, string>> = {
  CREATE: 'CreateOptions',
  UPDATE: 'UpdateOptions',
  DELETE: 'DeleteOptions',
};

function optionsOf(attributes: AdmissionAttributes): Record<string, unknown> | null {
  const options = attributes.options;
  if (!options) return null;
  const kind = OPTIONS_KIND[attributes.operation];
  if (options['kind'] || !kind) return options;
  return { kind, apiVersion: 'meta.k8s.io/v1', ...options };
}

/** The request body; `uid` is fresh for every call, as kube makes one per webhook call. */
export function buildReview(
  version: ReviewVersion,
  uid: string,
  invocation: WebhookInvocation,
  attributes: AdmissionAttributes,
  object: KubeObject | undefined,
  converter: ObjectVersionConverter,
): Record<string, unknown> {
  const user = attributes.user;
  const userInfo: Record<string, unknown> = { username: user.username };
  if (user.uid) userInfo['uid'] = user.uid;
  if (user.groups.length) userInfo['groups'] = user.groups;
  const extra = Object.entries(user.extra ?? {});
  if (extra.length) userInfo['extra'] = Object.fromEntries(extra.map(([k, v]) => [k, v.values]));
  const request: Record<string, unknown> = {
    uid,
    kind: invocation.kind,
    resource: invocation.resource,
    requestKind: attributes.kind,
    requestResource: attributes.resource,
    operation: attributes.operation,
    userInfo,
    object: toVersion(converter, object, invocation.kind) ?? null,
    oldObject: toVersion(converter, attributes.oldObject, invocation.kind) ?? null,
    dryRun: attributes.dryRun,
    options: optionsOf(attributes),
  };
  if (invocation.subresource) request['subResource'] = invocation.subresource;
  if (attributes.subresource) request['requestSubResource'] = attributes.subresource;
  if (attributes.name) request['name'] = attributes.name;
  if (attributes.namespace) request['namespace'] = attributes.namespace;
  return { kind: 'AdmissionReview', apiVersion: `admission.k8s.io/${version}`, request };
}

/** Thrown with the reason kube gives for an unusable answer (wrapped as a call failure). */
export class InvalidReviewResponseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidReviewResponseError';
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * kube's VerifyAdmissionResponse: v1 answers are checked (uid, apiVersion/kind, patch with
 * patchType, no patch from a validating webhook); v1beta1 ones only need a response, and a
 * patch is taken as JSONPatch.
 */
export function parseReviewResponse(
  body: unknown,
  version: ReviewVersion,
  uid: string,
  mutating: boolean,
): AdmissionResponse {
  const response = isRecord(body) ? body['response'] : undefined;
  if (!isRecord(response)) throw new InvalidReviewResponseError('webhook response was absent');
  const patch = typeof response['patch'] === 'string' ? response['patch'] : '';
  const patchType = response['patchType'];
  const out: AdmissionResponse = { uid, allowed: response['allowed'] === true };
  if (version === 'v1') {
    if (response['uid'] !== uid) {
      throw new InvalidReviewResponseError(
        `expected response.uid=${JSON.stringify(uid)}, got ${JSON.stringify(response['uid'] ?? '')}`,
      );
    }
    const record = body as Record<string, unknown>;
    if (record['apiVersion'] !== ADMISSION_REVIEW_VERSION || record['kind'] !== 'AdmissionReview') {
      throw new InvalidReviewResponseError(
        `expected webhook response of admission.k8s.io/v1, Kind=AdmissionReview, got ${gvkString(record)}`,
      );
    }
    const hasType = patchType !== undefined && patchType !== null;
    if (mutating) {
      if (patch && !hasType)
        throw new InvalidReviewResponseError(
          'webhook returned response.patch but not response.patchType',
        );
      if (!patch && hasType)
        throw new InvalidReviewResponseError(
          'webhook returned response.patchType but not response.patch',
        );
      if (hasType && (typeof patchType !== 'string' || patchType === ''))
        throw new InvalidReviewResponseError(
          `webhook returned invalid response.patchType of ${JSON.stringify(String(patchType))}`,
        );
      if (patch) {
        out.patch = patch;
        out.patchType = patchType as string;
      }
    } else {
      if (patch)
        throw new InvalidReviewResponseError('validating webhook may not return response.patch');
      if (hasType)
        throw new InvalidReviewResponseError(
          'validating webhook may not return response.patchType',
        );
    }
  } else if (mutating && patch) {
    out.patch = patch;
    out.patchType = 'JSONPatch';
  }
  if (isRecord(response['status'])) out.status = response['status'] as Partial<Status>;
  if (Array.isArray(response['warnings']))
    out.warnings = response['warnings'].filter((w): w is string => typeof w === 'string');
  if (isRecord(response['auditAnnotations'])) {
    out.auditAnnotations = Object.fromEntries(
      Object.entries(response['auditAnnotations']).filter(
        (e): e is [string, string] => typeof e[1] === 'string',
      ),
    );
  }
  return out;
}

/** Go's GroupVersionKind.String(): `group/version, Kind=kind`. */
function gvkString(body: Record<string, unknown>): string {
  const apiVersion = typeof body['apiVersion'] === 'string' ? body['apiVersion'] : '';
  const kind = typeof body['kind'] === 'string' ? body['kind'] : '';
  return `${apiVersion}, Kind=${kind}`;
}
