// AdmissionReview (admission.k8s.io/v1): the request kube sends and the checks it applies
// to the answer before trusting it.
import type { Status } from '@splitplane/apimachinery';
import type { KubeObject } from '@splitplane/scheme';
import type { AdmissionAttributes } from '../chain/plugin.js';
import type { WebhookInvocation } from './match.js';

export const ADMISSION_REVIEW_VERSION = 'admission.k8s.io/v1';

export interface AdmissionResponse {
  uid: string;
  allowed: boolean;
  status?: Partial<Status>;
  patch?: string;
  patchType?: string;
  warnings?: string[];
  auditAnnotations?: Record<string, string>;
}

/** Re-labels an object for the version a webhook matched under (Equivalent matchPolicy). */
export function asVersion(obj: KubeObject | undefined, apiVersion: string): KubeObject | undefined {
  if (!obj || obj.apiVersion === apiVersion) return obj;
  return { ...obj, apiVersion };
}

export const apiVersionOf = (gv: { group: string; version: string }) =>
  gv.group ? `${gv.group}/${gv.version}` : gv.version;

export function buildReview(
  invocation: WebhookInvocation,
  attributes: AdmissionAttributes,
  object: KubeObject | undefined,
): Record<string, unknown> {
  const apiVersion = apiVersionOf(invocation.kind);
  const user = attributes.user;
  const userInfo: Record<string, unknown> = { username: user.username };
  if (user.uid) userInfo['uid'] = user.uid;
  if (user.groups.length) userInfo['groups'] = user.groups;
  const extra = Object.entries(user.extra ?? {});
  if (extra.length) userInfo['extra'] = Object.fromEntries(extra.map(([k, v]) => [k, v.values]));
  const request: Record<string, unknown> = {
    uid: attributes.uid,
    kind: invocation.kind,
    resource: invocation.resource,
    requestKind: attributes.kind,
    requestResource: attributes.resource,
    name: attributes.name,
    operation: attributes.operation,
    userInfo,
    object: asVersion(object, apiVersion) ?? null,
    oldObject: asVersion(attributes.oldObject, apiVersion) ?? null,
    dryRun: attributes.dryRun,
    options: attributes.options ?? null,
  };
  if (invocation.subresource) request['subResource'] = invocation.subresource;
  if (attributes.subresource) request['requestSubResource'] = attributes.subresource;
  if (attributes.namespace) request['namespace'] = attributes.namespace;
  return { kind: 'AdmissionReview', apiVersion: ADMISSION_REVIEW_VERSION, request };
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

export function parseReviewResponse(body: unknown, uid: string): AdmissionResponse {
  if (!isRecord(body) || body['apiVersion'] !== ADMISSION_REVIEW_VERSION || body['kind'] !== 'AdmissionReview') {
    const got = isRecord(body) ? `${String(body['apiVersion'] ?? '')}, Kind=${String(body['kind'] ?? '')}` : String(body);
    throw new InvalidReviewResponseError(
      `expected webhook response of admission.k8s.io/v1, Kind=AdmissionReview, got ${got}`,
    );
  }
  const response = body['response'];
  if (!isRecord(response)) throw new InvalidReviewResponseError('response was absent');
  if (response['uid'] !== uid) {
    throw new InvalidReviewResponseError(
      `expected response.uid=${JSON.stringify(uid)}, got ${JSON.stringify(response['uid'] ?? '')}`,
    );
  }
  const out: AdmissionResponse = { uid, allowed: response['allowed'] === true };
  if (isRecord(response['status'])) out.status = response['status'] as Partial<Status>;
  const patch = response['patch'];
  const patchType = response['patchType'];
  if (typeof patch === 'string' && patch !== '') {
    if (typeof patchType !== 'string' || patchType === '')
      throw new InvalidReviewResponseError('webhook returned response.patch but not response.patchType');
    out.patch = patch;
    out.patchType = patchType;
  } else if (typeof patchType === 'string' && patchType !== '') {
    throw new InvalidReviewResponseError('webhook returned response.patchType but not response.patch');
  }
  if (Array.isArray(response['warnings']))
    out.warnings = response['warnings'].filter((w): w is string => typeof w === 'string');
  if (isRecord(response['auditAnnotations'])) {
    out.auditAnnotations = Object.fromEntries(
      Object.entries(response['auditAnnotations']).filter((e): e is [string, string] => typeof e[1] === 'string'),
    );
  }
  return out;
}
