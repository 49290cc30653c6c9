// One etcd change applied to its resource's store, and the window event it becomes
// (contract of issue #3): version 1 -> ADDED, other puts -> MODIFIED, delete -> DELETED
// carrying the last state at the delete's revision.
import { jsonWithResourceVersion, type EtcdWatchEvent } from '@splitplane/storage';
import type { EventInput } from '../window/index.js';
import { cachedObject } from './cached-object.js';
import type { ParsedKey } from './key-router.js';
import type { ResourceStore } from './resource-store.js';

/** Updates the store; undefined when there is nothing to record (a delete of nothing known). */
export function applyToStore(
  store: ResourceStore,
  parsed: ParsedKey,
  ev: EtcdWatchEvent,
  rv: bigint,
): EventInput | undefined {
  if (ev.type === 'put') {
    const json = jsonWithResourceVersion(ev.value, ev.modRevision);
    const previous = store.put(cachedObject(ev.key, parsed, json, rv));
    if (ev.createRevision === ev.modRevision)
      return { type: 'ADDED', rv, key: ev.key, object: json };
    return {
      type: 'MODIFIED',
      rv,
      key: ev.key,
      object: json,
      ...(previous ? { prevObject: previous.json } : {}),
    };
  }
  const previous = store.remove(ev.key);
  const last = ev.value.length > 0 ? ev.value : previous?.json;
  if (!last) return undefined;
  return {
    type: 'DELETED',
    rv,
    key: ev.key,
    object: jsonWithResourceVersion(last, ev.modRevision),
    // The state before the delete, with its own revision: exact reads rebuild past lists
    // from it (read/snapshot.ts). The wire event leaves it out (events/).
    ...(previous ? { prevObject: previous.json } : {}),
  };
}
