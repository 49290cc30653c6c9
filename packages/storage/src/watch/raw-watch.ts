// One etcd watch on a key prefix, read straight off etcd's Watch gRPC stream.
//
// etcd3's Watcher wrapper hides what the watch-cache needs (DESIGN §10): it drops the
// compact_revision of a watch cancelled for compaction, and it cannot send progress
// requests. This opens its own bidi Watch call through etcd3's public `watchClient` (same
// connection pool, channel and credentials as the rest of the client), creates exactly one
// watcher on it, and reports each WatchResponse as it comes. It never reconnects by itself:
// resuming is the caller's decision, because only the caller knows its last revision.
import type { ClientDuplexStream } from '@grpc/grpc-js';
import type { Etcd3, IEvent, IWatchRequest, IWatchResponse } from 'etcd3';
import { prefixEnd } from '../codec.js';

export interface EtcdWatchEvent {
  type: 'put' | 'delete';
  key: string;
  /** The new value; for a delete, the previous value when prevKv was asked for, else empty. */
  value: Buffer;
  /** Revision of this change (the object's resourceVersion), decimal string. */
  modRevision: string;
  /** Set on puts: the revision that created the key. */
  createRevision?: string;
  /** Value before this change, when prevKv was asked for and etcd still had it. */
  prevValue?: Buffer;
}

export type EtcdWatchMessage =
  /**
   * One WatchResponse's events, in revision order. `revision` is the response header's
   * revision: etcd's revision when it sent them. While etcd replays history it may be past
   * revisions still to come on this stream, so track progress by the events' modRevision,
   * not by this.
   */
  | { kind: 'events'; revision: string; events: EtcdWatchEvent[] }
  /** A progress notification: an empty response whose header carries etcd's revision. */
  | { kind: 'progress'; revision: string }
  /** The start revision is compacted away; the watch is over and the caller must relist. */
  | { kind: 'compacted'; compactRevision: string }
  /** The stream ended (etcd restarted, connection lost, watch cancelled by etcd). */
  | { kind: 'closed'; error?: Error };

export interface WatchPrefixOptions {
  /** Ask etcd for each event's previous key-value (needed for deletes' last state). */
  prevKv?: boolean;
  /** Ask etcd for periodic progress notifications while the watch is idle. */
  progressNotify?: boolean;
  /** Queue length past which the gRPC stream is paused until the consumer catches up. */
  highWaterMark?: number;
}

/**
 * The messages of one watch, in order. A single consumer iterates it; after `compacted`
 * or `closed` the iteration ends. After `close()` it ends without a `closed` message.
 */
export interface WatchStream extends AsyncIterable<EtcdWatchMessage> {
  /**
   * Sends a WatchProgressRequest. On etcd 3.4 the answer is not ordered with the events
   * still due on this stream; see watch-prefix.test.ts for what etcd 3.4.23 does.
   */
  requestProgress(): void;
  /** Cancels the watch and ends the gRPC call, so the etcd client can close without hanging. */
  close(): Promise<void>;
}

export class WatchStreamError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

type Duplex = ClientDuplexStream<IWatchRequest, IWatchResponse>;

/** etcd answers a progress request with this watch_id: for every watcher on the stream. */
const BROADCAST_WATCH_ID = '-1';
const CANCEL_WAIT_MS = 1_000;

/** Watches every key under `prefix` from `startRevision` (inclusive, decimal string). */
export function watchPrefix(
  client: Etcd3,
  prefix: string,
  startRevision: string,
  opts: WatchPrefixOptions = {},
): WatchStream {
  if (!/^[1-9]\d*$/.test(startRevision)) {
    throw new WatchStreamError(`start revision must be a positive decimal, got "${startRevision}"`);
  }
  return new RawWatch(client, prefix, startRevision, opts);
}

class RawWatch implements WatchStream {
  private stream: Duplex | undefined;
  private watchId: string | undefined;
  private readonly queue: EtcdWatchMessage[] = [];
  private waiter: (() => void) | undefined;
  /** No more messages will be queued (terminal message queued, or close() called). */
  private done = false;
  private closing: Promise<void> | undefined;
  private onCancelled: (() => void) | undefined;
  private paused = false;
  private progressWanted = false;
  private readonly highWaterMark: number;

  constructor(client: Etcd3, prefix: string, startRevision: string, opts: WatchPrefixOptions) {
    this.highWaterMark = opts.highWaterMark ?? 1024;
    const create = {
      key: Buffer.from(prefix, 'utf8'),
      range_end: prefixEnd(prefix),
      start_revision: startRevision,
      prev_kv: opts.prevKv ?? false,
      progress_notify: opts.progressNotify ?? false,
    };
    client.watchClient.watch().then(
      (s) => {
        const stream = s as unknown as Duplex;
        if (this.done) {
          endCall(stream);
          return;
        }
        this.stream = stream;
        stream.on('data', (res: IWatchResponse) => this.onResponse(res));
        stream.on('error', (err: Error) => {
          this.onCancelled?.();
          this.finish({
            kind: 'closed',
            error: new WatchStreamError('etcd watch stream failed', { cause: err }),
          });
        });
        stream.on('end', () => {
          this.onCancelled?.();
          this.finish({ kind: 'closed' });
        });
        stream.write({ create_request: create });
        if (this.progressWanted) stream.write({ progress_request: {} });
      },
      (err: unknown) =>
        this.finish({
          kind: 'closed',
          error: new WatchStreamError('cannot open etcd watch stream', { cause: err }),
        }),
    );
  }

  requestProgress(): void {
    if (this.done) return;
    // Before the call is open, send it right after the create request.
    if (!this.stream) this.progressWanted = true;
    else this.stream.write({ progress_request: {} });
  }

  close(): Promise<void> {
    this.closing ??= this.doClose();
    return this.closing;
  }

  private async doClose(): Promise<void> {
    const stream = this.stream;
    const wasDone = this.done;
    this.done = true;
    this.queue.length = 0; // the caller has stopped listening
    this.wake();
    if (!stream) return; // not open yet: the open callback ends it
    // A paused stream would never deliver the cancel confirmation.
    if (this.paused) stream.resume();
    if (!wasDone && this.watchId !== undefined) {
      // Cancel the watcher explicitly so etcd frees it even if the call lingers.
      const cancelled = new Promise<void>((resolve) => (this.onCancelled = resolve));
      stream.write({ cancel_request: { watch_id: this.watchId } });
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        cancelled,
        new Promise<void>((r) => (timer = setTimeout(r, CANCEL_WAIT_MS))),
      ]);
      clearTimeout(timer);
    }
    endCall(stream);
  }

  private onResponse(res: IWatchResponse): void {
    if (res.canceled && this.onCancelled && (res.watch_id === this.watchId || res.created)) {
      this.onCancelled();
      return;
    }
    if (this.done) return;
    const revision = res.header?.revision ?? '0';
    if (res.created) this.watchId = res.watch_id;
    // A compacted start revision cancels the watcher, on the created response or just after.
    if (res.compact_revision && res.compact_revision !== '0') {
      this.finish({ kind: 'compacted', compactRevision: res.compact_revision });
      return;
    }
    if (res.canceled) {
      const reason = res.cancel_reason || 'no reason given';
      this.finish({
        kind: 'closed',
        error: new WatchStreamError(`etcd cancelled the watch: ${reason}`),
      });
      return;
    }
    if (res.events.length > 0) {
      this.push({ kind: 'events', revision, events: res.events.map(toEvent) });
      return;
    }
    // Nothing else to say on the created response; an empty one after it is progress,
    // periodic (our watch_id) or requested (watch_id -1 on etcd 3.4).
    if (res.created) return;
    if (res.watch_id === this.watchId || res.watch_id === BROADCAST_WATCH_ID) {
      this.push({ kind: 'progress', revision });
    }
  }

  private push(msg: EtcdWatchMessage): void {
    this.queue.push(msg);
    if (!this.paused && this.queue.length >= this.highWaterMark && this.stream) {
      this.paused = true;
      this.stream.pause();
    }
    this.wake();
  }

  /** Queues the last message and tears the call down. */
  private finish(msg: EtcdWatchMessage): void {
    if (this.done) return;
    this.push(msg);
    this.done = true;
    if (this.stream) endCall(this.stream);
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<EtcdWatchMessage> {
    try {
      for (;;) {
        const msg = this.queue.shift();
        if (msg) {
          if (this.paused && this.queue.length < this.highWaterMark / 2) {
            this.paused = false;
            this.stream?.resume();
          }
          yield msg;
          continue;
        }
        if (this.done) return;
        await new Promise<void>((resolve) => (this.waiter = resolve));
      }
    } finally {
      // A consumer that stops iterating (break, throw) is done with the watch.
      await this.close();
    }
  }
}

function toEvent(ev: IEvent): EtcdWatchEvent {
  // proto-loader fills an absent message field with null.
  const prev = ev.prev_kv ?? undefined;
  if (ev.type === 'Delete') {
    return {
      type: 'delete',
      key: ev.kv.key.toString('utf8'),
      value: prev ? prev.value : Buffer.alloc(0),
      modRevision: ev.kv.mod_revision,
      ...(prev ? { prevValue: prev.value } : {}),
    };
  }
  return {
    type: 'put',
    key: ev.kv.key.toString('utf8'),
    value: ev.kv.value,
    modRevision: ev.kv.mod_revision,
    createRevision: ev.kv.create_revision,
    ...(prev ? { prevValue: prev.value } : {}),
  };
}

/** Half-closes, then cancels the call; ending writes first keeps etcd3 from marking the host failed. */
function endCall(stream: Duplex): void {
  stream.removeAllListeners('data');
  stream.removeAllListeners('end');
  stream.removeAllListeners('error');
  stream.on('error', () => {}); // the CANCELLED status of our own cancel
  if (!stream.writableEnded) stream.end();
  stream.cancel();
}
