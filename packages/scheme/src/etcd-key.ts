// etcd keys in kube-apiserver's layout: /registry/<resource>/<namespace>/<name> for
// built-ins, /registry/<group>/<resource>/... for custom resources.
import type { ResourceDefinition } from './resource-definition.js';

export const REGISTRY_PREFIX = '/registry/';

export function resourcePrefix(def: Pick<ResourceDefinition, 'etcdResource'>): string {
  return `${REGISTRY_PREFIX}${def.etcdResource}/`;
}

/** Prefix for a namespace's objects, or for all objects when namespace is empty. */
export function collectionPrefix(
  def: Pick<ResourceDefinition, 'etcdResource' | 'namespaced'>,
  namespace: string,
): string {
  const base = resourcePrefix(def);
  return def.namespaced && namespace ? `${base}${namespace}/` : base;
}

export function objectKey(
  def: Pick<ResourceDefinition, 'etcdResource' | 'namespaced'>,
  namespace: string,
  name: string,
): string {
  return def.namespaced
    ? `${resourcePrefix(def)}${namespace}/${name}`
    : `${resourcePrefix(def)}${name}`;
}
