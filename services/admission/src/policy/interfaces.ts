// What policy evaluation needs from the cluster, as small injected lookups so a later session
// can back them with informers and tests with plain maps.
import type { Selector } from '@splitplane/apimachinery';
import type { GroupVersionKind, GroupVersionResource } from '@splitplane/proto';
import type { KubeObject } from '@splitplane/scheme';
import type {
  ParamKind,
  ValidatingAdmissionPolicy,
  ValidatingAdmissionPolicyBinding,
} from './types.js';

export interface PolicyLister {
  list(): readonly ValidatingAdmissionPolicy[];
}

export interface BindingLister {
  list(): readonly ValidatingAdmissionPolicyBinding[];
}

export interface NamespaceLister {
  get(name: string): KubeObject | undefined;
}

/** The objects of one paramKind. namespace is '' for a cluster-scoped kind. */
export interface ParamStore {
  readonly namespaced: boolean;
  get(namespace: string, name: string): KubeObject | undefined;
  list(namespace: string, selector: Selector): readonly KubeObject[];
}

export interface ParamResolver {
  /** undefined when the kind is not served (kube: "paramKind kind ... not known"). */
  forKind(kind: ParamKind): ParamStore | undefined;
}

/** matchPolicy Equivalent: other resources serving the same objects (deployments in apps/v1beta1...). */
export interface EquivalentResourceMapper {
  equivalents(
    resource: GroupVersionResource,
    subresource: string,
  ): readonly { resource: GroupVersionResource; kind: GroupVersionKind }[];
}
