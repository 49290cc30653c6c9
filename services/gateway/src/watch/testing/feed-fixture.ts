// A real nats-server and the watch-cache's side of the wire, played by the test: it keeps
// one resource's event history (served as the Events RPC would, with 410 below `oldest`) and
// publishes each event and PROGRESS message to the resource's subject. The gateway side
// under test is the real ResourceFeed, FeedHub and Watcher.
import { newResourceExpired } from '@splitplane/apimachinery';
import { connectNats, eventsSubject, type NatsConnection } from '@splitplane/kit';
import { ResourceFeed, decodeFeedEvent, type EventHistory } from '@splitplane/informer';
import { WatchEvent } from '@splitplane/proto';
import { startNats, type NatsHandle } from '@splitplane/testing';
import type { FeedFactory } from '../feed-hub.js';

export interface ObjectSpec {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  nodeName?: string;
}

export class ResourceHistory implements EventHistory {
  readonly log: WatchEvent[] = [];
  revision = 100n;
  /** fromRv older than this is 410 Expired. */
  oldest = 100n;
  private lastEventRv = 100n;
  private readonly current = new Map<string, Buffer>();

  constructor(
    private readonly publishRaw: (ev: WatchEvent) => void,
    readonly kind = 'ConfigMap',
  ) {}

  /** Writes one object (create or update); other resources' writes may skip revisions. */
  put(spec: ObjectSpec, skip = 0n): WatchEvent {
    this.revision += skip + 1n;
    const ns = spec.namespace ?? 'default';
    const key = `${ns}/${spec.name}`;
    const prev = this.current.get(key);
    const obj: Record<string, unknown> = {
      apiVersion: 'v1',
      kind: this.kind,
      metadata: {
        name: spec.name,
        namespace: ns,
        resourceVersion: this.revision.toString(),
        ...(spec.labels ? { labels: spec.labels } : {}),
      },
    };
    if (spec.nodeName !== undefined) obj.spec = { nodeName: spec.nodeName };
    const object = Buffer.from(JSON.stringify(obj));
    this.current.set(key, object);
    return this.emit(prev ? 'MODIFIED' : 'ADDED', ns, spec.name, object, prev);
  }

  delete(name: string, namespace = 'default'): WatchEvent {
    this.revision += 1n;
    const key = `${namespace}/${name}`;
    const prev = this.current.get(key);
    if (!prev) throw new Error(`no ${key}`);
    this.current.delete(key);
    const last = JSON.parse(prev.toString()) as { metadata: Record<string, unknown> };
    last.metadata.resourceVersion = this.revision.toString();
    return this.emit('DELETED', namespace, name, Buffer.from(JSON.stringify(last)), undefined);
  }

  /** Other resources' writes: the revision moves without an event of this one. */
  advance(by = 1n): void {
    this.revision += by;
  }

  progress(): void {
    this.publishRaw({
      type: 'PROGRESS',
      object: Buffer.alloc(0),
      rv: this.revision.toString(),
      prevRv: this.lastEventRv.toString(),
      prevObject: Buffer.alloc(0),
      namespace: '',
      name: '',
    });
  }

  async events(fromRv: bigint, toRv: bigint | undefined) {
    if (fromRv < this.oldest) {
      throw newResourceExpired(`too old resource version: ${fromRv} (${this.oldest})`);
    }
    const through = toRv ?? this.revision;
    const events = this.log
      .filter((e) => BigInt(e.rv) > fromRv && BigInt(e.rv) <= through)
      .map(decodeFeedEvent);
    return { events, through };
  }

  private emit(
    type: 'ADDED' | 'MODIFIED' | 'DELETED',
    namespace: string,
    name: string,
    object: Buffer,
    prev: Buffer | undefined,
  ): WatchEvent {
    const ev: WatchEvent = {
      type,
      object,
      rv: this.revision.toString(),
      prevRv: this.lastEventRv.toString(),
      prevObject: type === 'MODIFIED' && prev ? prev : Buffer.alloc(0),
      namespace,
      name,
    };
    this.lastEventRv = this.revision;
    this.log.push(ev);
    this.publishRaw(ev);
    return ev;
  }
}

export interface FeedFixture {
  nats: NatsHandle;
  /** The history (and publisher) of group/resource, created on first use. */
  history(group: string, resource: string, kind?: string): ResourceHistory;
  factory: FeedFactory;
  flush(): Promise<void>;
  stop(): Promise<void>;
}

export async function startFeedFixture(): Promise<FeedFixture> {
  const nats = await startNats({ jetstream: false });
  const pub: NatsConnection = await connectNats({ servers: [nats.url], name: 'test-publisher' });
  const sub: NatsConnection = await connectNats({ servers: [nats.url], name: 'test-gateway' });
  const histories = new Map<string, ResourceHistory>();
  const history = (group: string, resource: string, kind = 'ConfigMap') => {
    const k = `${group}/${resource}`;
    let h = histories.get(k);
    if (!h) {
      const subject = eventsSubject(group, resource);
      h = new ResourceHistory((ev) => pub.publish(subject, WatchEvent.encode(ev).finish()), kind);
      histories.set(k, h);
    }
    return h;
  };
  return {
    nats,
    history,
    factory: (group, resource) =>
      new ResourceFeed({ nats: sub, group, resource, history: history(group, resource) }),
    flush: () => pub.flush(),
    async stop() {
      await pub.close();
      await sub.close();
      await nats.stop();
    },
  };
}
