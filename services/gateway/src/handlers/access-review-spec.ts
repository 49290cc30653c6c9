// The spec of SubjectAccessReview, LocalSubjectAccessReview and SelfSubjectAccessReview
// (authorization.k8s.io/v1): kube's validation of it, and the authz attributes it asks about.
import { type FieldErrorList, invalid } from '@splitplane/apimachinery';
import type { AuthorizeRequest, UserInfo } from '@splitplane/proto';

export interface ResourceAttributes {
  namespace?: string;
  verb?: string;
  group?: string;
  version?: string;
  resource?: string;
  subresource?: string;
  name?: string;
}

export interface NonResourceAttributes {
  path?: string;
  verb?: string;
}

export interface AccessReviewSpec {
  resourceAttributes?: ResourceAttributes | null;
  nonResourceAttributes?: NonResourceAttributes | null;
  user?: string;
  groups?: string[] | null;
  extra?: Record<string, string[] | null> | null;
  uid?: string;
}

/** kube's ValidateSelfSubjectAccessReviewSpec: exactly one of the two attribute kinds. */
export function validateAttributesChoice(spec: AccessReviewSpec): FieldErrorList {
  const ra = spec.resourceAttributes ?? undefined;
  const nra = spec.nonResourceAttributes ?? undefined;
  if (ra && nra) {
    return [
      invalid(
        'spec.nonResourceAttributes',
        nra,
        'cannot be specified in combination with resourceAttributes',
      ),
    ];
  }
  if (!ra && !nra) {
    return [
      invalid(
        'spec.resourceAttributes',
        // Go's field errors print a nil pointer as the string "null".
        'null',
        'exactly one of nonResourceAttributes or resourceAttributes must be specified',
      ),
    ];
  }
  return [];
}

/** kube's ValidateSubjectAccessReviewSpec: the attribute choice plus a subject. */
export function validateSubjectSpec(spec: AccessReviewSpec): FieldErrorList {
  const errs = validateAttributesChoice(spec);
  if (!spec.user && !(spec.groups?.length ?? 0)) {
    errs.push(
      invalid('spec.user', spec.user ?? '', 'at least one of user or group must be specified'),
    );
  }
  return errs;
}

/** The subject a SubjectAccessReview names (kube does not add system:authenticated). */
export function subjectOf(spec: AccessReviewSpec): UserInfo {
  const extra: UserInfo['extra'] = {};
  for (const [k, v] of Object.entries(spec.extra ?? {})) extra[k] = { values: v ?? [] };
  return {
    username: spec.user ?? '',
    uid: spec.uid ?? '',
    groups: spec.groups ?? [],
    extra,
  };
}

/** kube's ResourceAttributesFrom / NonResourceAttributesFrom for `user`. */
export function attributesFrom(
  spec: AccessReviewSpec,
  user: UserInfo | undefined,
): AuthorizeRequest {
  const ra = spec.resourceAttributes;
  if (ra) {
    return {
      user,
      verb: ra.verb ?? '',
      resourceRequest: true,
      path: '',
      apiGroup: ra.group ?? '',
      apiVersion: ra.version ?? '',
      resource: ra.resource ?? '',
      subresource: ra.subresource ?? '',
      namespace: ra.namespace ?? '',
      name: ra.name ?? '',
    };
  }
  const nra = spec.nonResourceAttributes ?? {};
  return {
    user,
    verb: nra.verb ?? '',
    resourceRequest: false,
    path: nra.path ?? '',
    apiGroup: '',
    apiVersion: '',
    resource: '',
    subresource: '',
    namespace: '',
    name: '',
  };
}
