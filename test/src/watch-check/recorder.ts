// Records the reference history with its own etcd watch, independent of the plane: the list
// of a key prefix at a revision, then every change from the next revision on (prevKv, so
// deletes carry the last state). It survives an etcd restart by resuming from the revision
// after the last change it saw, which makes the record gap-free.
import { setTimeout as sleep } from 'node:timers/promises';
import { createEtcdClient, decodeObject, watchPrefix, type WatchStream } from '@splitplane/storage';
import {
  digestObject,
  objectKey,
  type History,
  type HistoryChange,
  type ObjectDigest,
} from './history.js';

type EtcdClient = ReturnType<typeof createEtcdClient>;

export class RecorderError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class HistoryRecorder {
  readonly history: History;
  private readonly client: EtcdClient;
  private readonly current = new Map<string, ObjectDigest>();
  private stream: WatchStream | undefined;
  private stopped = false;
  private loop: Promise<void> | undefined;
  /** Times the etcd watch ended and was resumed (etcd restarts). */
  resumes = 0;
  failure: Error | undefined;

  private constructor(
    client: EtcdClient,
    private readonly prefix: string,
    startRv: number,
    initial: ObjectDigest[],
  ) {
    this.client = client;
    this.history = { startRv, initial, changes: [], throughRv: startRv };
    for (const o of initial) this.current.set(objectKey(o), o);
  }

  /** Lists `prefix` (e.g. "/registry/configmaps/") and starts watching right after. */
  static async start(etcdServers: string[], prefix: string): Promise<HistoryRecorder> {
    const client = createEtcdClient({ servers: etcdServers });
    const res = await client.getAll().prefix(prefix).exec();
    const rev = Number(res.header.revision);
    const initial = res.kvs.map((kv) =>
      digestObject(decodeObject(kv.value, String(kv.mod_revision))),
    );
    const rec = new HistoryRecorder(client, prefix, rev, initial);
    rec.loop = rec.run();
    return rec;
  }

  /** etcd's current revision (one cheap range request). */
  async etcdRevision(): Promise<number> {
    const res = await this.client.getAll().prefix(this.prefix).limit(1).exec();
    return Number(res.header.revision);
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const stream = watchPrefix(this.client, this.prefix, String(this.history.throughRv + 1), {
        prevKv: true,
        progressNotify: true,
      });
      this.stream = stream;
      let ended = false;
      for await (const m of stream) {
        if (m.kind === 'events') {
          for (const e of m.events) this.apply(e);
        } else if (m.kind === 'progress') {
          // Only trustworthy for a synced watch; ours is synced once it delivered past it,
          // and etcd sends periodic notifications only to synced watchers.
          const r = Number(m.revision);
          if (r > this.history.throughRv) this.history.throughRv = r;
        } else if (m.kind === 'compacted') {
          this.failure = new RecorderError(
            `reference history lost: etcd compacted to ${m.compactRevision}`,
          );
          this.stopped = true;
        } else {
          ended = true;
        }
      }
      if (this.stopped) break;
      if (ended) this.resumes++;
      await sleep(200);
    }
  }

  private apply(e: {
    type: 'put' | 'delete';
    key: string;
    value: Buffer;
    modRevision: string;
    createRevision?: string;
    prevValue?: Buffer;
  }): void {
    const rv = Number(e.modRevision);
    if (rv <= this.history.throughRv && this.history.changes.length > 0) {
      const last = this.history.changes[this.history.changes.length - 1]!;
      if (rv <= last.rv) return; // replayed after a resume: already recorded
    }
    const previousBuf = e.type === 'put' ? e.prevValue : e.value;
    let change: HistoryChange;
    if (e.type === 'put') {
      const object = digestObject(decodeObject(e.value, String(rv)));
      const key = objectKey(object);
      const prev = previousBuf?.length
        ? digestObject(JSON.parse(previousBuf.toString('utf8')))
        : this.current.get(key);
      const type = e.createRevision === e.modRevision ? 'ADDED' : 'MODIFIED';
      change = { type, rv, namespace: object.namespace, name: object.name, object };
      if (type === 'MODIFIED' && prev) change.prev = withPrevRv(prev, this.current.get(key));
      this.current.set(key, object);
    } else {
      const last = previousBuf?.length
        ? digestObject(JSON.parse(previousBuf.toString('utf8')))
        : undefined;
      const fromKey = this.current.get(keyFromEtcdKey(e.key, this.prefix));
      const prev = last ? withPrevRv(last, fromKey) : fromKey;
      if (!prev) {
        this.failure ??= new RecorderError(`delete of unknown key ${e.key} at ${rv}`);
        return;
      }
      change = {
        type: 'DELETED',
        rv,
        namespace: prev.namespace,
        name: prev.name,
        object: { ...prev, rv },
        prev,
      };
      this.current.delete(objectKey(prev));
    }
    this.history.changes.push(change);
    if (rv > this.history.throughRv) this.history.throughRv = rv;
  }

  /** Waits until the record is complete through `rv` (bounded). */
  async waitThrough(rv: number, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.history.throughRv < rv) {
      if (this.failure) throw this.failure;
      if (Date.now() > deadline) {
        throw new RecorderError(
          `reference history stuck at ${this.history.throughRv}, wanted ${rv}`,
        );
      }
      await sleep(100);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.stream?.close();
    await this.loop;
    this.client.close();
  }
}

/** The stored value has no resourceVersion; take it from what was recorded for that key. */
function withPrevRv(prev: ObjectDigest, known: ObjectDigest | undefined): ObjectDigest {
  return { ...prev, rv: known?.rv ?? prev.rv };
}

function keyFromEtcdKey(key: string, prefix: string): string {
  const rest = key.slice(prefix.length).split('/');
  return rest.length >= 2 ? `${rest[0]}/${rest[1]}` : `/${rest[0]}`;
}
