// Publishes every applied event on its resource's NATS subject, and once a second a PROGRESS
// message per resource whose position moved (contract of issue #3). Publishing never blocks
// or fails the reflector: while NATS is away messages are dropped, and subscribers notice
// the gap through prevRv and heal it from the Events RPC.
import { eventsSubject, type Logger, type NatsConnection } from '@splitplane/kit';
import { WatchEvent } from '@splitplane/proto';
import type { RoutedResource, WatchCache } from '../cache/index.js';
import type { WindowEvent } from '../window/index.js';
import { progressEvent, toWatchEvent } from '../events/watch-event.js';

export interface PublisherOptions {
  cache: WatchCache;
  nats: NatsConnection;
  log: Logger;
  /** Default 1000 ms. */
  progressIntervalMs?: number;
}

export class EventPublisher {
  private readonly cache: WatchCache;
  private readonly nats: NatsConnection;
  private readonly log: Logger;
  private readonly subjects = new Map<string, string>();
  /** The rv of the last PROGRESS (or event) published per resource. */
  private readonly published = new Map<string, bigint>();
  private readonly unsubscribe: () => void;
  private readonly timer: NodeJS.Timeout;
  private connected = true;
  private dropped = 0;

  constructor(options: PublisherOptions) {
    this.cache = options.cache;
    this.nats = options.nats;
    this.log = options.log;
    this.unsubscribe = this.cache.onEvent((route, event) => this.publishEvent(route, event));
    this.timer = setInterval(() => this.publishProgress(), options.progressIntervalMs ?? 1_000);
    this.timer.unref();
    void this.watchStatus();
  }

  /** Messages dropped because NATS was unreachable. */
  get droppedMessages(): number {
    return this.dropped;
  }

  stop(): void {
    this.unsubscribe();
    clearInterval(this.timer);
  }

  private publishEvent(route: RoutedResource, event: WindowEvent): void {
    if (this.publish(route, WatchEvent.encode(toWatchEvent(route, event)).finish()))
      this.published.set(route.resource, event.rv);
  }

  private publishProgress(): void {
    if (!this.cache.ready) return;
    const rv = this.cache.rv;
    for (const route of this.cache.routes()) {
      const last = this.published.get(route.resource);
      if (last !== undefined && last >= rv) continue;
      const windows = this.cache.windows;
      const prevRv =
        windows.window(route.resource)?.lastEventRv ?? windows.oldestResumableRv(route.resource);
      // A dropped PROGRESS is sent again next time: after an outage it is what tells
      // subscribers that they missed something.
      if (this.publish(route, WatchEvent.encode(progressEvent(rv, prevRv)).finish()))
        this.published.set(route.resource, rv);
    }
  }

  /** False when the message was dropped. */
  private publish(route: RoutedResource, payload: Uint8Array): boolean {
    // The client would buffer without bound while reconnecting; lose messages instead.
    if (!this.connected || this.nats.isClosed()) {
      this.dropped++;
      return false;
    }
    try {
      this.nats.publish(this.subjectOf(route), payload);
      return true;
    } catch (err) {
      this.dropped++;
      this.log.debug({ err }, 'nats publish failed');
      return false;
    }
  }

  private subjectOf(route: RoutedResource): string {
    let subject = this.subjects.get(route.resource);
    if (!subject) {
      subject = eventsSubject(route.def.group, route.def.plural);
      this.subjects.set(route.resource, subject);
    }
    return subject;
  }

  private async watchStatus(): Promise<void> {
    try {
      for await (const status of this.nats.status()) {
        if (status.type === 'disconnect') this.connected = false;
        else if (status.type === 'reconnect') this.connected = true;
      }
    } catch (err) {
      this.log.debug({ err }, 'nats status stream ended');
    }
  }
}
