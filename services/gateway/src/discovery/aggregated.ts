// Aggregated discovery (apidiscovery.k8s.io v2 and v2beta1): the whole /api or /apis
// surface in one APIGroupDiscoveryList, which kubectl 1.32 asks for first.
import type { ResourceDefinition, Scheme, Verb } from '@splitplane/scheme';
import { SCALE_KIND, SUBRESOURCE_VERBS, servedGroups } from './documents.js';
import { sortVersions } from './version-priority.js';

export type AggregatedVersion = 'v2' | 'v2beta1';

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

export interface APISubresourceDiscovery {
  subresource: string;
  responseKind: GroupVersionKind;
  verbs: Verb[];
}

export interface APIResourceDiscovery {
  resource: string;
  responseKind: GroupVersionKind;
  scope: 'Namespaced' | 'Cluster';
  singularResource: string;
  verbs: Verb[];
  shortNames?: string[];
  categories?: string[];
  subresources?: APISubresourceDiscovery[];
}

export interface APIVersionDiscovery {
  version: string;
  resources: APIResourceDiscovery[];
  freshness: 'Current' | 'Stale';
}

export interface APIGroupDiscovery {
  metadata: { name?: string; creationTimestamp: null };
  versions: APIVersionDiscovery[];
}

export interface APIGroupDiscoveryList {
  kind: 'APIGroupDiscoveryList';
  apiVersion: `apidiscovery.k8s.io/${AggregatedVersion}`;
  metadata: Record<string, never>;
  items: APIGroupDiscovery[];
}

export function resourceDiscovery(def: ResourceDefinition): APIResourceDiscovery {
  const kind = { group: def.group, version: def.version, kind: def.kind };
  const out: APIResourceDiscovery = {
    resource: def.plural,
    responseKind: kind,
    scope: def.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: def.singular,
    verbs: [...def.verbs],
  };
  if (def.shortNames.length) out.shortNames = [...def.shortNames];
  if (def.categories.length) out.categories = [...def.categories];
  const subs: APISubresourceDiscovery[] = [];
  if (def.subresources.scale)
    subs.push({
      subresource: 'scale',
      responseKind: { ...SCALE_KIND },
      verbs: [...SUBRESOURCE_VERBS],
    });
  if (def.subresources.status)
    subs.push({ subresource: 'status', responseKind: { ...kind }, verbs: [...SUBRESOURCE_VERBS] });
  if (subs.length) out.subresources = subs;
  return out;
}

function versionDiscovery(scheme: Scheme, group: string, version: string): APIVersionDiscovery {
  const resources = scheme
    .resourcesIn(group, version)
    .map(resourceDiscovery)
    .sort((a, b) => (a.resource < b.resource ? -1 : a.resource > b.resource ? 1 : 0));
  return { version, resources, freshness: 'Current' };
}

/** The document for /api (`core`) or /apis (`apis`). */
export function aggregatedDiscovery(
  scheme: Scheme,
  scope: 'core' | 'apis',
  version: AggregatedVersion,
): APIGroupDiscoveryList {
  const items: APIGroupDiscovery[] = [];
  if (scope === 'core') {
    const versions = sortVersions(
      scheme
        .groupVersions()
        .filter((gv) => gv.group === '')
        .map((gv) => gv.version),
    );
    if (versions.length) {
      items.push({
        metadata: { creationTimestamp: null },
        versions: versions.map((v) => versionDiscovery(scheme, '', v)),
      });
    }
  } else {
    for (const [group, versions] of servedGroups(scheme)) {
      items.push({
        metadata: { name: group, creationTimestamp: null },
        versions: versions.map((v) => versionDiscovery(scheme, group, v)),
      });
    }
  }
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: `apidiscovery.k8s.io/${version}`,
    metadata: {},
    items,
  };
}
