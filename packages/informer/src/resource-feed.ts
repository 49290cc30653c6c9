// One resource's NATS fan-out turned back into one ordered, gap-free history (DESIGN §4):
// replicas' duplicates are dropped by rv, holes (prevRv > lastRv) are healed from the
// watch-cache's Events history, and subscribers start from any RV the history still holds.
import type { StatusError } from '@splitplane/apimachinery';
import { eventsSubject, type Subscription } from '@splitplane/kit';
import { Backoff, sleep } from './backoff.js';
import { decodeMessage, type Incoming } from './feed-message.js';
import type { ResourceFeedOptions, ResourceFeedStats } from './feed-options.js';
import type { FeedEvent, FeedListener, FeedSubscription } from './feed-types.js';
import { Subscribers, type Sub } from './feed-subscribers.js';
import { FeedWindow } from './feed-window.js';
import { isExpired } from './status-code.js';

export type { ResourceFeedOptions, ResourceFeedStats } from './feed-options.js';

export class ResourceFeed {
  readonly group: string;
  readonly resource: string;
  readonly #opts: ResourceFeedOptions;
  readonly #subs: Subscribers;
  readonly #abort = new AbortController();
  readonly #retainMs: number;
  readonly #retainEvents: number;
  readonly #giveUpMs: number;
  readonly #maxBuffered: number;
  /** Both undefined while the feed has no position. */
  #window: FeedWindow | undefined;
  #lastRv: bigint | undefined;
  /** Defined while a history fetch decides the feed's position (anchor or heal). */
  #buffer: Incoming[] | undefined;
  #anchoring = false;
  /** Bumped whenever the position is dropped, so stale fetches know to stop. */
  #generation = 0;
  #natsSub: Subscription | undefined;
  readonly #idleProbeMs: number;
  #lastMessageAt = Date.now();
  #probeTimer: NodeJS.Timeout | undefined;
  #probing = false;
  #closed = false;
  readonly stats: ResourceFeedStats = {
    received: 0,
    duplicates: 0,
    gaps: 0,
    historyReads: 0,
    positionsLost: 0,
    probes: 0,
  };

  constructor(opts: ResourceFeedOptions) {
    this.#opts = opts;
    this.group = opts.group;
    this.resource = opts.resource;
    this.#subs = new Subscribers(opts.log, opts.resource);
    this.#retainMs = opts.retainMs ?? 60_000;
    this.#retainEvents = opts.retainEvents ?? 10_000;
    this.#giveUpMs = opts.giveUpMs ?? 10_000;
    this.#maxBuffered = opts.maxBuffered ?? 100_000;
    this.#idleProbeMs = opts.idleProbeMs ?? 5_000;
  }

  /** The history is complete through this revision; undefined until the feed is anchored. */
  get rv(): bigint | undefined {
    return this.#lastRv;
  }

  /** Events after this revision are retained locally; undefined until anchored. */
  get windowBase(): bigint | undefined {
    return this.#window?.base;
  }

  get subscriberCount(): number {
    return this.#subs.size;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Subscribes the resource's subject (once). Resolves when the server has the subscription. */
  async start(): Promise<void> {
    if (this.#natsSub || this.#closed) return;
    const drop = this.#opts.dropFraction ?? 0;
    this.#natsSub = this.#opts.nats.subscribe(eventsSubject(this.group, this.resource), {
      callback: (err, msg) => {
        if (err) {
          this.#opts.log?.warn({ err }, 'nats subscription error');
          return;
        }
        if (drop > 0 && Math.random() < drop) return;
        const incoming = this.#decode(msg.data);
        if (!incoming) return;
        this.stats.received++;
        this.#lastMessageAt = Date.now();
        this.#receive(incoming);
      },
    });
    this.#probeTimer = setInterval(() => this.#probeIfIdle(), Math.max(50, this.#idleProbeMs / 2));
    this.#probeTimer.unref();
    await this.#opts.nats.flush();
  }

  /**
   * Delivers every event with rv > fromRv, in order, exactly once, then live events. Events
   * the local window holds are delivered before this returns.
   */
  subscribe(fromRv: bigint, listener: FeedListener): FeedSubscription {
    const sub = this.#subs.add(listener, fromRv);
    if (this.#closed) {
      this.#subs.end(sub);
      return { close: () => {} };
    }
    if (this.#lastRv === undefined) {
      if (!this.#anchoring) void this.#anchor();
    } else {
      this.#attach(sub);
    }
    return { close: () => this.#subs.remove(sub) };
  }

  /** Unsubscribes from NATS and ends every subscriber cleanly (they resume elsewhere). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#generation++;
    this.#abort.abort();
    this.#natsSub?.unsubscribe();
    clearInterval(this.#probeTimer);
    this.#buffer = undefined;
    this.#subs.endAll();
  }

  #decode(data: Uint8Array): Incoming | undefined {
    try {
      return decodeMessage(data);
    } catch (err) {
      this.#opts.log?.warn({ err, resource: this.resource }, 'dropping undecodable watch event');
      return undefined;
    }
  }

  #receive(incoming: Incoming): void {
    if (this.#closed) return;
    if (this.#buffer) {
      this.#buffer.push(incoming);
      if (this.#buffer.length > this.#maxBuffered) {
        this.#opts.log?.warn(
          { resource: this.resource },
          'feed buffer overflow; dropping position',
        );
        this.#lose();
      }
      return;
    }
    this.#apply(incoming);
  }

  /** Applies one message while no fetch holds the position. */
  #apply(incoming: Incoming): void {
    // prevRv 0 would claim a history from the beginning of time: never anchor on it.
    if (this.#lastRv === undefined || (incoming.prevRv > this.#lastRv && this.#subs.size === 0)) {
      if (incoming.prevRv === 0n) return;
      // Nobody to heal for: the message itself fixes the position ("no event in (prevRv, rv)").
      this.#window = new FeedWindow(incoming.prevRv, this.#retainMs, this.#retainEvents);
      this.#lastRv = incoming.prevRv;
    }
    if (incoming.rv <= this.#lastRv) {
      this.stats.duplicates++; // another replica's copy, or already healed
      return;
    }
    if (incoming.prevRv > this.#lastRv) {
      this.stats.gaps++;
      this.#buffer = [incoming];
      void this.#heal(incoming.prevRv);
      return;
    }
    this.#advance(incoming.rv, incoming.event);
    this.#window?.trim();
  }

  /** Moves the position to rv (an event at rv, or none), telling live subscribers. */
  #advance(rv: bigint, event: FeedEvent | undefined): void {
    this.#lastRv = rv;
    if (event) this.#window!.push(event);
    this.#subs.advance(rv, event);
  }

  /** Heals (lastRv, need]: fetch history, apply it, then the messages held meanwhile. */
  async #heal(need: bigint): Promise<void> {
    const generation = this.#generation;
    const giveUpAt = Date.now() + this.#giveUpMs;
    const backoff = new Backoff();
    let toRv: bigint | undefined;
    for (;;) {
      try {
        const from = this.#lastRv!;
        const answer = await this.#history(from, toRv, this.#abort.signal);
        if (generation !== this.#generation) return;
        this.#applyHistory(answer.events, answer.through);
        if (generation !== this.#generation) return;
        if (this.#lastRv! >= need) break;
        // A lagging replica answered: ask for the range explicitly so it waits for it.
        toRv = need;
      } catch (err) {
        if (generation !== this.#generation) return;
        if (isExpired(err)) {
          this.#opts.log?.info(
            { resource: this.resource, err },
            'gap left the history; ending subscribers with 410',
          );
          this.#lose(err);
          return;
        }
        this.#opts.log?.warn({ resource: this.resource, err }, 'healing a gap failed; retrying');
      }
      if (Date.now() >= giveUpAt) {
        this.#opts.log?.warn(
          { resource: this.resource },
          'cannot heal gap; ending subscribers cleanly',
        );
        this.#lose();
        return;
      }
      if (!(await sleep(backoff.next(), this.#abort.signal))) return;
      if (generation !== this.#generation) return;
    }
    this.#window?.trim();
    this.#drain();
  }

  #applyHistory(events: readonly FeedEvent[], through: bigint): void {
    const generation = this.#generation;
    for (const event of events) {
      if (event.rv <= this.#lastRv!) continue;
      this.#advance(event.rv, event);
      if (generation !== this.#generation) return;
    }
    if (through > this.#lastRv!) this.#advance(through, undefined);
  }

  /** Replays the messages held during a fetch; one of them may start another heal. */
  #drain(): void {
    const held = this.#buffer ?? [];
    this.#buffer = undefined;
    for (const incoming of held) this.#receive(incoming);
  }

  /** No position yet: fix one from the first pending subscriber's fromRv via history. */
  async #anchor(): Promise<void> {
    this.#anchoring = true;
    this.#buffer ??= [];
    const generation = this.#generation;
    const giveUpAt = Date.now() + this.#giveUpMs;
    const backoff = new Backoff();
    try {
      for (;;) {
        const first = this.#subs.inState('pending')[0];
        if (!first) break; // every pending subscriber left: messages may anchor instead
        const from = first.pos;
        try {
          const answer = await this.#history(from, undefined, this.#abort.signal);
          if (generation !== this.#generation) return;
          const window = new FeedWindow(from, this.#retainMs, this.#retainEvents);
          for (const event of answer.events) if (event.rv > from) window.push(event);
          this.#window = window;
          this.#lastRv = answer.through > from ? answer.through : from;
          this.#anchoring = false;
          for (const sub of this.#subs.inState('pending')) this.#attach(sub);
          if (generation !== this.#generation) return;
          this.#window.trim();
          break;
        } catch (err) {
          if (generation !== this.#generation) return;
          if (isExpired(err)) {
            this.#subs.end(first, err);
            continue;
          }
          this.#opts.log?.warn(
            { resource: this.resource, err },
            'anchoring the feed failed; retrying',
          );
        }
        if (Date.now() >= giveUpAt) {
          for (const sub of this.#subs.inState('pending')) this.#subs.end(sub);
          break;
        }
        if (!(await sleep(backoff.next(), this.#abort.signal))) return;
        if (generation !== this.#generation) return;
      }
    } finally {
      if (generation === this.#generation) this.#anchoring = false;
    }
    this.#drain();
  }

  /** Starts a subscriber on an anchored feed: from the window, from history, or waiting. */
  #attach(sub: Sub): void {
    const window = this.#window!;
    if (sub.pos < window.base) {
      void this.#catchUp(sub);
      return;
    }
    sub.state = 'live';
    for (const event of window.after(sub.pos)) {
      if (sub.state !== 'live') return;
      sub.pos = event.rv;
      this.#subs.call(sub, (l) => l.event(event));
    }
    const last = this.#lastRv!;
    if (sub.state === 'live' && sub.pos < last) {
      sub.pos = last;
      this.#subs.call(sub, (l) => l.progress?.(last));
    }
  }

  /** A subscriber older than the window reads (pos, base] from history, then joins. */
  async #catchUp(sub: Sub): Promise<void> {
    sub.state = 'catchup';
    const generation = this.#generation;
    const giveUpAt = Date.now() + this.#giveUpMs;
    const backoff = new Backoff();
    for (;;) {
      if (sub.state !== 'catchup' || generation !== this.#generation) return;
      const base = this.#window!.base;
      if (sub.pos >= base) {
        this.#attach(sub);
        return;
      }
      try {
        const answer = await this.#history(sub.pos, base, this.#abort.signal);
        if (sub.state !== 'catchup' || generation !== this.#generation) return;
        for (const event of answer.events) {
          if (event.rv <= sub.pos) continue;
          sub.pos = event.rv;
          this.#subs.call(sub, (l) => l.event(event));
          if (sub.state !== 'catchup') return;
        }
        if (answer.through > sub.pos) sub.pos = answer.through;
        backoff.reset();
        continue;
      } catch (err) {
        if (sub.state !== 'catchup' || generation !== this.#generation) return;
        if (isExpired(err)) {
          this.#subs.end(sub, err);
          return;
        }
        this.#opts.log?.warn(
          { resource: this.resource, err },
          'catching a subscriber up failed; retrying',
        );
      }
      if (Date.now() >= giveUpAt) {
        this.#subs.end(sub);
        return;
      }
      if (!(await sleep(backoff.next(), this.#abort.signal))) return;
    }
  }

  /**
   * A silent subject proves nothing: the last message may have been lost, and no later one
   * will reveal it. One history read settles it. Failures are ignored (nothing is known
   * to be missing); the next silence tries again.
   */
  async #probeIfIdle(): Promise<void> {
    if (this.#probing || this.#buffer || this.#lastRv === undefined) return;
    if (Date.now() - this.#lastMessageAt < this.#idleProbeMs) return;
    if (!this.#subs.hasLive()) return;
    this.#probing = true;
    this.stats.probes++;
    const generation = this.#generation;
    try {
      const answer = await this.#history(this.#lastRv, undefined, this.#abort.signal);
      // A heal that started meanwhile owns the position; it reads the same history.
      if (generation !== this.#generation || this.#buffer) return;
      // Messages applied meanwhile moved lastRv: history is complete through `through`,
      // so applying only its events past lastRv leaves no hole.
      this.#applyHistory(answer.events, answer.through);
      this.#window?.trim();
    } catch (err) {
      this.#opts.log?.debug({ err, resource: this.resource }, 'idle probe failed');
    } finally {
      this.#probing = false;
      this.#lastMessageAt = Date.now();
    }
  }

  #history(from: bigint, to: bigint | undefined, signal: AbortSignal) {
    this.stats.historyReads++;
    return this.#opts.history.events(from, to, signal);
  }

  /** Drops the position: every subscriber ends (with the 410, or cleanly to resume). */
  #lose(error?: StatusError): void {
    this.stats.positionsLost++;
    this.#generation++;
    this.#window = undefined;
    this.#lastRv = undefined;
    this.#buffer = undefined;
    this.#anchoring = false;
    this.#subs.endAll(error);
  }
}
