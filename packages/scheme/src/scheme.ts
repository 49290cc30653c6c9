// The Scheme indexes resource definitions for the lookups every service makes. CRDs will be
// added at run time through `add`, so lookups must not be cached outside it.
import { type ResourceDefinition, apiVersionOf } from './resource-definition.js';

export interface GroupVersion {
  group: string;
  version: string;
}

export class Scheme {
  private readonly byResource = new Map<string, ResourceDefinition>();
  private readonly byKind = new Map<string, ResourceDefinition>();

  constructor(definitions: Iterable<ResourceDefinition> = []) {
    for (const def of definitions) this.add(def);
  }

  add(def: ResourceDefinition): void {
    this.byResource.set(resourceKey(def.group, def.version, def.plural), def);
    this.byKind.set(kindKey(def.group, def.version, def.kind), def);
  }

  remove(group: string, version: string, plural: string): void {
    const def = this.byResource.get(resourceKey(group, version, plural));
    if (!def) return;
    this.byResource.delete(resourceKey(group, version, plural));
    this.byKind.delete(kindKey(group, version, def.kind));
  }

  /** The definition served at /apis/<group>/<version>/<plural>. */
  resource(group: string, version: string, plural: string): ResourceDefinition | undefined {
    return this.byResource.get(resourceKey(group, version, plural));
  }

  kind(group: string, version: string, kind: string): ResourceDefinition | undefined {
    return this.byKind.get(kindKey(group, version, kind));
  }

  /** Parse "apps/v1" + "Deployment". */
  kindForApiVersion(apiVersion: string, kind: string): ResourceDefinition | undefined {
    const { group, version } = parseApiVersion(apiVersion);
    return this.kind(group, version, kind);
  }

  all(): ResourceDefinition[] {
    return [...this.byResource.values()];
  }

  /** Served group-versions, in first-registration order (core first). */
  groupVersions(): GroupVersion[] {
    const seen = new Map<string, GroupVersion>();
    for (const def of this.byResource.values()) {
      const key = apiVersionOf(def);
      if (!seen.has(key)) seen.set(key, { group: def.group, version: def.version });
    }
    return [...seen.values()];
  }

  resourcesIn(group: string, version: string): ResourceDefinition[] {
    return this.all().filter((d) => d.group === group && d.version === version);
  }
}

export function parseApiVersion(apiVersion: string): GroupVersion {
  const slash = apiVersion.indexOf('/');
  return slash < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

const resourceKey = (g: string, v: string, r: string) => `${g}/${v}/${r}`;
const kindKey = (g: string, v: string, k: string) => `${g}/${v}#${k}`;
