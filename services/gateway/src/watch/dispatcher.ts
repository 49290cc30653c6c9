// One shared subscription to a resource's feed, dispatching each event only to the watchers
// that can care about it: an index by (namespace, name) as kube's cacher keeps, plus pods'
// spec.nodeName (kube's triggerFunc), so a kubelet-style watch is not visited by every pod
// event of the cluster.
import type { FeedEvent, FeedListener, FeedSubscription } from '@splitplane/informer';
import type { StatusError } from '@splitplane/apimachinery';
import type { KubeObject } from '@splitplane/scheme';
import type { Watcher } from './watcher.js';

export interface SubscribableFeed {
  subscribe(fromRv: bigint, listener: FeedListener): FeedSubscription;
}

export class Dispatcher implements FeedListener {
  /** Every event at or before pos has been dispatched. */
  pos: bigint;
  /**
   * The subscription delivered something (an event or progress), so its history from the
   * anchor is sound; only then may other watchers join (a too-old anchor ends with 410).
   */
  confirmed = false;
  dead = false;
  private readonly scoped = new Map<string, Set<Watcher>>();
  private readonly byNode = new Map<string, Set<Watcher>>();
  private joined = 0;
  private subscription: FeedSubscription | undefined;
  private closed = false;

  constructor(
    private readonly feed: SubscribableFeed,
    anchor: bigint,
    private readonly onIdle: (d: Dispatcher) => void,
  ) {
    this.pos = anchor;
  }

  /** Subscribes from the anchor; join the anchoring watcher first (the feed may answer at once). */
  start(): void {
    const subscription = this.feed.subscribe(this.pos, this);
    // The feed may answer (even end) synchronously, before subscribe returns.
    if (this.closed) subscription.close();
    else this.subscription = subscription;
  }

  get size(): number {
    return this.joined;
  }

  join(watcher: Watcher, after: bigint): void {
    watcher.skipThrough(after);
    watcher.positionSource = () => this.pos;
    const set = this.setFor(watcher, true)!;
    set.add(watcher);
    this.joined++;
    watcher.onStop = () => this.leave(watcher);
  }

  event(event: FeedEvent): void {
    this.confirmed = true;
    if (event.rv <= this.pos) return;
    this.pos = event.rv;
    const ns = event.namespace;
    const name = event.name;
    if (ns) {
      this.visit(this.scoped.get(key(ns, name)), event);
      this.visit(this.scoped.get(key(ns, '')), event);
    }
    this.visit(this.scoped.get(key('', name)), event);
    this.visit(this.scoped.get(key('', '')), event);
    if (this.byNode.size > 0) {
      const node = nodeNameOf(event.parsed());
      this.visit(this.byNode.get(node), event);
      const prev = event.parsedPrev();
      if (prev) {
        const before = nodeNameOf(prev);
        if (before !== node) this.visit(this.byNode.get(before), event);
      }
    }
  }

  progress(rv: bigint): void {
    this.confirmed = true;
    if (rv > this.pos) this.pos = rv;
  }

  end(error?: StatusError): void {
    this.dead = true;
    for (const w of this.all()) w.feedEnded(error);
    this.onIdle(this);
  }

  close(): void {
    this.dead = true;
    this.closed = true;
    this.subscription?.close();
    this.subscription = undefined;
  }

  private leave(watcher: Watcher): void {
    const set = this.setFor(watcher, false);
    if (!set?.delete(watcher)) return;
    this.joined--;
    if (set.size === 0) {
      const { namespace, name, nodeName } = watcher.scope;
      if (nodeName !== undefined) this.byNode.delete(nodeName);
      else this.scoped.delete(key(namespace, name));
    }
    if (this.joined === 0 && !this.dead) this.onIdle(this);
  }

  private setFor(watcher: Watcher, create: boolean): Set<Watcher> | undefined {
    const { namespace, name, nodeName } = watcher.scope;
    const map = nodeName !== undefined ? this.byNode : this.scoped;
    const k = nodeName !== undefined ? nodeName : key(namespace, name);
    let set = map.get(k);
    if (!set && create) {
      set = new Set();
      map.set(k, set);
    }
    return set;
  }

  private visit(set: Set<Watcher> | undefined, event: FeedEvent): void {
    if (set) for (const w of set) w.handle(event);
  }

  private *all(): Iterable<Watcher> {
    for (const set of [...this.scoped.values(), ...this.byNode.values()]) yield* [...set];
  }
}

const key = (namespace: string, name: string) => `${namespace}\u0000${name}`;

function nodeNameOf(obj: KubeObject): string {
  const spec = obj.spec as { nodeName?: unknown } | undefined;
  return typeof spec?.nodeName === 'string' ? spec.nodeName : '';
}
