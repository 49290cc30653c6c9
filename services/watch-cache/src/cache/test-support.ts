// Shared by this directory's tests: a real etcd, a storage, a quiet logger, and a check that
// the cache equals a fresh etcd list.
import assert from 'node:assert/strict';
import { createLogger, type Logger } from '@splitplane/kit';
import { BUILTIN_RESOURCES, Scheme, objectKey, type KubeObject } from '@splitplane/scheme';
import type { EtcdStorage } from '@splitplane/storage';
import type { WatchCache } from './watch-cache.js';

export const scheme = new Scheme(BUILTIN_RESOURCES);
export const configmaps = scheme.resource('', 'v1', 'configmaps')!;
export const secrets = scheme.resource('', 'v1', 'secrets')!;
export const namespaces = scheme.resource('', 'v1', 'namespaces')!;

export function quietLogger(): Logger {
  const log = createLogger('watch-cache-test');
  log.level = process.env.SPLITPLANE_LOG_LEVEL ?? 'error';
  return log;
}

export const configMap = (
  ns: string,
  name: string,
  data: Record<string, string> = {},
  labels: Record<string, string> = {},
): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: ns, labels },
  data,
});

export const cmKey = (ns: string, name: string) => objectKey(configmaps, ns, name);

/** Waits until the cache reached etcd's current revision. */
export async function catchUp(cache: WatchCache, timeoutMs = 20_000): Promise<bigint> {
  const deadline = Date.now() + timeoutMs;
  const target = await cache.currentRevision(deadline);
  assert.ok(
    await cache.waitUntil(target, deadline),
    `cache did not reach ${target} (at ${cache.rv})`,
  );
  return target;
}

/** Every resource's objects equal a fresh etcd list at the cache's revision, in order. */
export async function assertEqualsEtcd(cache: WatchCache, storage: EtcdStorage): Promise<void> {
  const rv = cache.rv.toString();
  for (const route of cache.routes()) {
    const fresh = await storage.listRaw(route.prefix, { revision: rv });
    const cached = cache.resource(route.def).list();
    assert.deepEqual(
      cached.map((o) => o.json.toString()),
      fresh.items.map((b) => b.toString()),
      `${route.resource} differs from etcd at ${rv}`,
    );
    for (const o of cached) {
      assert.equal(
        o.rv.toString(),
        (JSON.parse(o.json.toString()) as KubeObject).metadata?.resourceVersion,
      );
      if (route.def.namespaced) assert.ok(cache.resource(route.def).list(o.namespace).includes(o));
    }
  }
}
