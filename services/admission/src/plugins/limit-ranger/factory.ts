import type { KubeObject } from '@splitplane/scheme';
import type { PluginFactory } from '../../chain/plugin-deps.js';
import { hubLister, LIMIT_RANGES, type ObjectLister } from '../builtin-support/index.js';
import { LimitRangerPlugin } from './plugin.js';

/** How long a live answer for a namespace the cache shows empty is reused (kube: 30 s). */
const LIVE_LOOKUP_TTL_MS = 30_000;

/**
 * kube's LimitRanger lister: the informer, and when it shows a namespace without
 * LimitRanges (one may have been created a moment ago) a live list, remembered briefly so a
 * burst of pod creates costs one read.
 */
export function limitRangeLister(
  cache: ObjectLister,
  live: (namespace: string) => Promise<KubeObject[]>,
  now: () => number = Date.now,
): ObjectLister {
  const recent = new Map<string, { expiry: number; items: KubeObject[] }>();
  return {
    get: (namespace, name) => cache.get(namespace, name),
    async list(namespace) {
      const cached = await cache.list(namespace);
      if (cached.length > 0) return cached;
      const hit = recent.get(namespace);
      if (hit && hit.expiry > now()) return hit.items;
      const items = await live(namespace);
      recent.set(namespace, { expiry: now() + LIVE_LOOKUP_TTL_MS, items });
      if (recent.size > 10_000) recent.delete(recent.keys().next().value as string);
      return items;
    },
  };
}

export const limitRangerFactory: PluginFactory = (deps) =>
  new LimitRangerPlugin({
    limitRanges: limitRangeLister(hubLister(deps.hub, LIMIT_RANGES), (ns) =>
      deps.hub.list(LIMIT_RANGES, ns),
    ),
  });
