// Plain discovery documents (/api, /apis, /apis/<g>, /api/v1, /apis/<g>/<v>) built from the
// Scheme, shaped as kube-apiserver serves them.
import { createHash } from 'node:crypto';
import type { ResourceDefinition, Scheme, Verb } from '@splitplane/scheme';
import { sortVersions } from './version-priority.js';

export interface ServerAddressByClientCIDR {
  clientCIDR: string;
  serverAddress: string;
}

export interface APIVersions {
  kind: 'APIVersions';
  versions: string[];
  serverAddressByClientCIDRs: ServerAddressByClientCIDR[];
}

export interface GroupVersionForDiscovery {
  groupVersion: string;
  version: string;
}

export interface APIGroup {
  name: string;
  versions: GroupVersionForDiscovery[];
  preferredVersion: GroupVersionForDiscovery;
}

export interface APIGroupList {
  kind: 'APIGroupList';
  apiVersion: 'v1';
  groups: APIGroup[];
}

export interface APIResource {
  name: string;
  singularName: string;
  namespaced: boolean;
  group?: string;
  version?: string;
  kind: string;
  verbs: Verb[];
  shortNames?: string[];
  categories?: string[];
  storageVersionHash?: string;
}

export interface APIResourceList {
  kind: 'APIResourceList';
  apiVersion?: 'v1';
  groupVersion: string;
  resources: APIResource[];
}

/** Verbs kube serves on the status and scale subresources. */
export const SUBRESOURCE_VERBS: Verb[] = ['get', 'patch', 'update'];

/** The autoscaling/v1 Scale kind every scale subresource speaks. */
export const SCALE_KIND = { group: 'autoscaling', version: 'v1', kind: 'Scale' } as const;

/** kube's discovery.StorageVersionHash: base64 of the first 8 bytes of sha256("g/v/Kind"). */
export function storageVersionHash(group: string, version: string, kind: string): string {
  return createHash('sha256')
    .update(`${group}/${version}/${kind}`)
    .digest()
    .subarray(0, 8)
    .toString('base64');
}

const gvString = (group: string, version: string) => (group ? `${group}/${version}` : version);

/** Served groups (core excluded) with their versions, preferred first. */
export function servedGroups(scheme: Scheme): Map<string, string[]> {
  const versions = new Map<string, string[]>();
  for (const { group, version } of scheme.groupVersions()) {
    if (!group) continue;
    versions.set(group, [...(versions.get(group) ?? []), version]);
  }
  for (const [g, vs] of versions) versions.set(g, sortVersions(vs));
  return versions;
}

export function apiVersions(scheme: Scheme, serverAddress: string): APIVersions {
  const core = sortVersions(
    scheme
      .groupVersions()
      .filter((gv) => gv.group === '')
      .map((gv) => gv.version),
  );
  return {
    kind: 'APIVersions',
    versions: core,
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function apiGroupOf(name: string, versions: string[]): APIGroup {
  const list = versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
  return { name, versions: list, preferredVersion: list[0]! };
}

export function apiGroupList(scheme: Scheme): APIGroupList {
  const groups = [...servedGroups(scheme)].map(([name, versions]) => apiGroupOf(name, versions));
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

/** /apis/<group>, or undefined when the group is not served. */
export function apiGroup(
  scheme: Scheme,
  group: string,
): (APIGroup & { kind: 'APIGroup'; apiVersion: 'v1' }) | undefined {
  const versions = servedGroups(scheme).get(group);
  if (!versions) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...apiGroupOf(group, versions) };
}

/** One resource and its subresources, as APIResourceList entries. */
export function apiResourcesFor(def: ResourceDefinition): APIResource[] {
  const main: APIResource = {
    name: def.plural,
    singularName: def.singular,
    namespaced: def.namespaced,
    kind: def.kind,
    verbs: [...def.verbs],
  };
  if (def.shortNames.length) main.shortNames = [...def.shortNames];
  if (def.categories.length) main.categories = [...def.categories];
  main.storageVersionHash = storageVersionHash(def.group, def.storageVersion, def.kind);
  const out = [main];
  if (def.subresources.scale) {
    out.push({
      name: `${def.plural}/scale`,
      singularName: '',
      namespaced: def.namespaced,
      group: SCALE_KIND.group,
      version: SCALE_KIND.version,
      kind: SCALE_KIND.kind,
      verbs: [...SUBRESOURCE_VERBS],
    });
  }
  if (def.subresources.status) {
    out.push({
      name: `${def.plural}/status`,
      singularName: '',
      namespaced: def.namespaced,
      kind: def.kind,
      verbs: [...SUBRESOURCE_VERBS],
    });
  }
  return out;
}

/** /api/v1 or /apis/<g>/<v>, or undefined when that group-version is not served. */
export function apiResourceList(
  scheme: Scheme,
  group: string,
  version: string,
): APIResourceList | undefined {
  const defs = scheme.resourcesIn(group, version);
  if (defs.length === 0) return undefined;
  const resources = defs
    .flatMap(apiResourcesFor)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const list: APIResourceList = {
    kind: 'APIResourceList',
    groupVersion: gvString(group, version),
    resources,
  };
  // kube omits apiVersion on the legacy /api/v1 list and sets it for named groups.
  return group
    ? { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: list.groupVersion, resources }
    : list;
}
