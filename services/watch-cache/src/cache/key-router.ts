// Maps an etcd key to the resource it stores: the longest resourcePrefix of the scheme that
// the key starts with. Keys under /registry/splitplane/ (leases, allocations) and under
// prefixes the scheme does not know are no objects of ours.
import { resourcePrefix, type ResourceDefinition, type Scheme } from '@splitplane/scheme';
import { resourceKey } from '../window/index.js';

export const SPLITPLANE_PREFIX = '/registry/splitplane/';

export interface RoutedResource {
  /** resourceKey(group, plural): the window and NATS identity of the resource. */
  readonly resource: string;
  readonly def: ResourceDefinition;
  readonly prefix: string;
}

export interface ParsedKey {
  readonly route: RoutedResource;
  readonly namespace: string;
  readonly name: string;
}

export class KeyRouter {
  private readonly byPrefix = new Map<string, RoutedResource>();

  constructor(scheme: Scheme) {
    // Versions of one resource share a prefix; the first registered (preferred) one wins.
    for (const def of scheme.all()) {
      const prefix = resourcePrefix(def);
      if (!this.byPrefix.has(prefix))
        this.byPrefix.set(prefix, { resource: resourceKey(def.group, def.plural), def, prefix });
    }
  }

  routes(): RoutedResource[] {
    return [...this.byPrefix.values()];
  }

  /** The route serving def, by its etcd prefix. */
  routeOf(def: ResourceDefinition): RoutedResource | undefined {
    return this.byPrefix.get(resourcePrefix(def));
  }

  /** The resource, namespace and name an etcd key stands for; undefined when not an object. */
  parse(key: string): ParsedKey | undefined {
    if (key.startsWith(SPLITPLANE_PREFIX)) return undefined;
    // Try the key's own directories, longest first: /registry/a/b/c -> /registry/a/b/, /registry/a/.
    for (let slash = key.lastIndexOf('/'); slash > 0; slash = key.lastIndexOf('/', slash - 1)) {
      const route = this.byPrefix.get(key.slice(0, slash + 1));
      if (!route) continue;
      const rest = key.slice(slash + 1);
      const sep = rest.indexOf('/');
      if (!route.def.namespaced)
        return rest && sep < 0 ? { route, namespace: '', name: rest } : undefined;
      if (sep <= 0 || sep === rest.length - 1 || rest.indexOf('/', sep + 1) >= 0) return undefined;
      return { route, namespace: rest.slice(0, sep), name: rest.slice(sep + 1) };
    }
    return undefined;
  }
}
