// generic.CollectParams: which param objects a binding evaluates with. [null] means "no
// params configured"; [] means none found with parameterNotFoundAction Allow (admit).
import { SelectorParseError, fromLabelSelector } from '@splitplane/apimachinery';
import type { KubeObject } from '@splitplane/scheme';
import type { ParamResolver } from './interfaces.js';
import type { ParamKind, ParamRef } from './types.js';

/** A binding/policy misconfiguration; subject to failurePolicy. */
export class PolicyConfigurationError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PolicyConfigurationError';
  }
}

// Go's generated String() of v1.ParamKind, which kube prints in this error.
const paramKindString = (k: ParamKind) =>
  `&ParamKind{APIVersion:${k.apiVersion ?? ''},Kind:${k.kind ?? ''},}`;

export function collectParams(
  paramKind: ParamKind | null | undefined,
  paramRef: ParamRef | null | undefined,
  requestNamespace: string,
  resolver: ParamResolver,
): (KubeObject | null)[] {
  if (!paramKind || !paramRef) return [null];
  const store = resolver.forKind(paramKind);
  if (!store)
    throw new PolicyConfigurationError(
      `paramKind kind \`${paramKindString(paramKind)}\` not known`,
    );
  let namespace = '';
  if (store.namespaced) {
    namespace = paramRef.namespace || requestNamespace;
    if (!namespace)
      throw new PolicyConfigurationError(
        'cannot use namespaced paramRef in policy binding that matches cluster-scoped resources',
      );
  } else if (paramRef.namespace) {
    throw new PolicyConfigurationError(
      'paramRef.namespace must not be provided for a cluster-scoped `paramKind`',
    );
  }
  let params: KubeObject[];
  if (paramRef.name) {
    if (paramRef.selector)
      throw new PolicyConfigurationError(
        'paramRef.name and paramRef.selector are mutually exclusive',
      );
    const p = store.get(namespace, paramRef.name);
    params = p ? [p] : [];
  } else if (paramRef.selector) {
    try {
      params = [...store.list(namespace, fromLabelSelector(paramRef.selector))];
    } catch (err) {
      if (err instanceof SelectorParseError)
        throw new PolicyConfigurationError(err.message, { cause: err });
      throw err;
    }
  } else {
    throw new PolicyConfigurationError('one of name or selector must be provided');
  }
  if (params.length === 0 && paramRef.parameterNotFoundAction === 'Deny')
    throw new PolicyConfigurationError(
      'no params found for policy binding with `Deny` parameterNotFoundAction',
    );
  return params.map((p) =>
    p.apiVersion || p.kind ? p : { apiVersion: paramKind.apiVersion, kind: paramKind.kind, ...p },
  );
}
