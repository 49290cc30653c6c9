// Fixtures for policy tests: admission attributes and map-backed listers.
import { type Selector } from '@splitplane/apimachinery';
import type { KubeObject } from '@splitplane/scheme';
import type { AdmissionAttributes, Operation } from '../chain/plugin.js';
import type { ParamResolver, ParamStore } from './interfaces.js';
import type {
  ParamKind,
  ValidatingAdmissionPolicy,
  ValidatingAdmissionPolicyBinding,
} from './types.js';
import type { PolicyEvaluatorInputs } from './dispatcher.js';

export function deployment(
  name: string,
  namespace: string,
  replicas: number,
  labels: Record<string, string> = {},
): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels },
    spec: {
      replicas,
      template: { spec: { containers: [{ name: 'c', image: 'nginx' }] } },
    },
  };
}

export function attributes(
  over: Partial<AdmissionAttributes> & { object?: KubeObject | undefined },
): AdmissionAttributes {
  const obj = over.object;
  return {
    uid: 'uid-1',
    kind: { group: 'apps', version: 'v1', kind: 'Deployment' },
    resource: { group: 'apps', version: 'v1', resource: 'deployments' },
    subresource: '',
    name: (obj?.metadata?.name as string) ?? '',
    namespace: (obj?.metadata?.namespace as string) ?? '',
    operation: 'CREATE' as Operation,
    user: { username: 'alice', uid: 'u1', groups: ['system:authenticated'], extra: {} },
    object: obj,
    oldObject: undefined,
    dryRun: false,
    options: undefined,
    ...over,
  };
}

export function namespace(name: string, labels: Record<string, string> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels, managedFields: [{ manager: 'x' }] },
  };
}

/** Params stored by "apiVersion/kind", keyed "namespace/name". */
export class MapParams implements ParamResolver {
  readonly kinds = new Map<string, { namespaced: boolean; objects: KubeObject[] }>();

  add(kind: ParamKind, namespaced: boolean, ...objects: KubeObject[]): this {
    this.kinds.set(`${kind.apiVersion}/${kind.kind}`, { namespaced, objects });
    return this;
  }

  forKind(kind: ParamKind): ParamStore | undefined {
    const k = this.kinds.get(`${kind.apiVersion}/${kind.kind}`);
    if (!k) return undefined;
    const inNs = (ns: string) => k.objects.filter((o) => (o.metadata?.namespace ?? '') === ns);
    return {
      namespaced: k.namespaced,
      get: (ns, name) => inNs(ns).find((o) => o.metadata?.name === name),
      list: (ns: string, sel: Selector) =>
        inNs(ns).filter((o) => sel.matches((o.metadata?.labels as Record<string, string>) ?? {})),
    };
  }
}

export function inputs(
  policies: ValidatingAdmissionPolicy[],
  bindings: ValidatingAdmissionPolicyBinding[],
  namespaces: KubeObject[] = [],
  params: ParamResolver = new MapParams(),
): PolicyEvaluatorInputs {
  const ns = new Map(namespaces.map((n) => [n.metadata!.name as string, n]));
  return {
    policies: { list: () => policies },
    bindings: { list: () => bindings },
    namespaces: { get: (n) => ns.get(n) },
    params,
  };
}

export const deploymentsRule = {
  apiGroups: ['apps'],
  apiVersions: ['v1'],
  operations: ['CREATE', 'UPDATE'],
  resources: ['deployments'],
};

export function binding(
  name: string,
  policyName: string,
  spec: Partial<ValidatingAdmissionPolicyBinding['spec']> = {},
): ValidatingAdmissionPolicyBinding {
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicyBinding',
    metadata: { name },
    spec: { policyName, validationActions: ['Deny'], ...spec },
  };
}

export function policy(
  name: string,
  spec: ValidatingAdmissionPolicy['spec'],
): ValidatingAdmissionPolicy {
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicy',
    metadata: { name },
    spec: {
      failurePolicy: 'Fail',
      matchConstraints: { resourceRules: [deploymentsRule] },
      ...spec,
    },
  };
}
