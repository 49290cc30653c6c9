// A resource's objects as of one revision, from the cache's current objects and its event
// window: the state of a key at rv is the prevObject of its first event after rv (absent
// when that event created it); keys without events after rv are as the store has them.
// When nothing changed after rv (the usual case) the store's own key-ordered array is used
// as is: no copy, no sort.
import {
  cachedObjectFromJson,
  compareByKey,
  type CachedObject,
  type CacheView,
  type ResourceCache,
} from '../cache/index.js';
import { isTooOld, type WindowEvent } from '../window/index.js';
import { tooOldResourceVersion } from './errors.js';

/**
 * The objects under `prefix` (namespace index when `namespace` is set) at revision rv, in
 * key order. Throws 410 Expired when the window no longer reaches back to rv. Must be
 * called synchronously with the read it serves: the cache moves between ticks.
 */
export function snapshotAt(
  view: CacheView,
  cache: ResourceCache,
  prefix: string,
  namespace: string,
  rv: bigint,
): readonly CachedObject[] {
  const events = view.windows.since(cache.resource, rv);
  if (isTooOld(events)) throw tooOldResourceVersion(rv, events.oldestResumableRv);
  const current = cache.list(namespace || undefined);
  if (events.length === 0) return current;

  const firstAfter = new Map<string, WindowEvent>();
  for (const e of events) {
    if (e.key.startsWith(prefix) && !firstAfter.has(e.key)) firstAfter.set(e.key, e);
  }
  if (firstAfter.size === 0) return current;

  const restored: CachedObject[] = [];
  for (const e of firstAfter.values()) {
    if (e.type === 'ADDED') continue;
    // DELETED events keep the state before the delete as prevObject in the window (with
    // its own mod revision). Without it (never expected) the last state still beats a gap.
    const before = e.prevObject ?? (e.type === 'DELETED' ? e.object : undefined);
    if (before) restored.push(cachedObjectFromJson(cache.def, e.key, before));
  }
  restored.sort(compareByKey);

  // Merge two key-ordered runs: unchanged current objects and restored past states.
  const out: CachedObject[] = [];
  let r = 0;
  for (const obj of current) {
    while (r < restored.length && restored[r]!.key < obj.key) out.push(restored[r++]!);
    if (!firstAfter.has(obj.key)) out.push(obj);
  }
  while (r < restored.length) out.push(restored[r++]!);
  return out;
}
