// The initial (and every re-) list: every key under the watched prefix at one revision,
// paged, turned into fresh per-resource stores. Nothing is swapped in here: the caller
// installs the result in one step, so readers never see a half-built state.
import { jsonWithResourceVersion, kvRpc, prefixEnd, type EtcdStorage } from '@splitplane/storage';
import { cachedObject } from './cached-object.js';
import type { KeyRouter } from './key-router.js';
import { ResourceStore } from './resource-store.js';

/** Keys per range page. Values may be up to ~1.5 MiB; this keeps a page well under the client's receive limit. */
export const LIST_PAGE_SIZE = 250;

export interface RegistrySnapshot {
  revision: bigint;
  /** By etcd prefix of the resource. */
  stores: Map<string, ResourceStore>;
  objects: number;
}

export async function listSnapshot(
  storage: EtcdStorage,
  router: KeyRouter,
  prefix: string,
  deadlineMs: number,
  pageSize = LIST_PAGE_SIZE,
): Promise<RegistrySnapshot> {
  const kv = kvRpc(storage.client);
  const stores = new Map<string, ResourceStore>();
  for (const route of router.routes())
    stores.set(route.prefix, new ResourceStore(route.resource, route.def));
  const rangeEnd = prefixEnd(prefix);
  let startKey = Buffer.from(prefix);
  let revision = '0';
  let objects = 0;
  for (;;) {
    let resp;
    try {
      resp = await kv.range(
        { key: startKey, range_end: rangeEnd, limit: pageSize, revision },
        { deadline: new Date(deadlineMs) },
      );
    } catch (err) {
      throw storage.translate(err);
    }
    if (revision === '0') revision = resp.header.revision; // every later page at the same revision
    for (const item of resp.kvs) {
      const key = item.key.toString('utf8');
      const parsed = router.parse(key);
      if (!parsed) continue;
      const json = jsonWithResourceVersion(item.value, item.mod_revision);
      stores
        .get(parsed.route.prefix)!
        .put(cachedObject(key, parsed, json, BigInt(item.mod_revision)));
      objects++;
    }
    if (!resp.more || resp.kvs.length === 0) break;
    startKey = Buffer.concat([resp.kvs[resp.kvs.length - 1]!.key, Buffer.from([0])]);
  }
  return { revision: BigInt(revision), stores, objects };
}
