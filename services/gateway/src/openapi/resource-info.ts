// Maps the Scheme's resource definitions onto what @splitplane/k8s-openapi generates
// paths from.
import type { ResourceInfo, SubresourceInfo } from '@splitplane/k8s-openapi';
import type { ResourceDefinition } from '@splitplane/scheme';

export function resourceInfoFor(def: ResourceDefinition): ResourceInfo {
  const subresources: SubresourceInfo[] = [];
  if (def.subresources.status) subresources.push({ name: 'status' });
  if (def.subresources.scale) subresources.push({ name: 'scale' });
  return {
    group: def.group,
    version: def.version,
    kind: def.kind,
    plural: def.plural,
    namespaced: def.namespaced,
    verbs: def.verbs,
    subresources,
    definitionName: def.openapiName,
  };
}
