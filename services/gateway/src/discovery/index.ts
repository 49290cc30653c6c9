export { discoveryRouter, DiscoveryHandlers, type DiscoveryOptions } from './router.js';
export {
  versionHandler,
  versionInfo,
  KUBE_MAJOR,
  KUBE_MINOR,
  type VersionInfo,
} from './version.js';
export {
  apiGroup,
  apiGroupList,
  apiResourceList,
  apiResourcesFor,
  apiVersions,
  servedGroups,
  storageVersionHash,
  SCALE_KIND,
  SUBRESOURCE_VERBS,
  type APIGroup,
  type APIGroupList,
  type APIResource,
  type APIResourceList,
  type APIVersions,
} from './documents.js';
export {
  aggregatedDiscovery,
  resourceDiscovery,
  type AggregatedVersion,
  type APIGroupDiscovery,
  type APIGroupDiscoveryList,
  type APIResourceDiscovery,
  type APISubresourceDiscovery,
  type APIVersionDiscovery,
} from './aggregated.js';
export { negotiateDiscovery, aggregatedContentType, type DiscoveryFormat } from './negotiate.js';
export {
  SchemeDocumentCache,
  cachedBody,
  notModified,
  sendCached,
  type CachedBody,
} from './cached-body.js';
export { SchemeMemo } from './scheme-cache.js';
export { compareVersions, sortVersions } from './version-priority.js';
