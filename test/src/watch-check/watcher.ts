// A watch client that behaves like client-go's reflector, over raw HTTPS chunked JSON: a
// clean end of stream (or a broken connection) resumes from the last RV it saw; a 410 —
// ERROR event or status — relists and watches from the list's RV; a dead gateway makes it
// move to another. It records every segment (one HTTP watch) for the checker.
import { setTimeout as sleep } from 'node:timers/promises';
import type { ClientRequest } from 'node:http';
import { digestObject, type ChangeType, type ObjectDigest } from './history.js';
import { KubeHttp, TransportError } from './kube-http.js';
import type { WatchFilter } from './selectors.js';

export type StartMode =
  | { kind: 'unset' }
  | { kind: 'zero' }
  | { kind: 'exact'; rv: number; list?: { rv: number; items: ObjectDigest[] } }
  /** sendInitialEvents=true&resourceVersionMatch=NotOlderThan, from rv (unset: consistent). */
  | { kind: 'watchlist'; rv?: number };

export interface ObservedEvent {
  type: ChangeType | 'BOOKMARK';
  rv: number;
  object?: ObjectDigest;
  /** A BOOKMARK annotated k8s.io/initial-events-end (end of a watch-list's initial events). */
  initialEnd?: true;
}

export type SegmentEnd =
  /** The server ended the stream (timeoutSeconds, or a replica going away cleanly). */
  | { kind: 'clean' }
  /** The connection failed or was cut (dead gateway). */
  | { kind: 'transport'; detail: string }
  /** 410: an ERROR event or status; the watcher relists. */
  | { kind: 'gone'; detail: string }
  /** Another ERROR event or a non-200 answer; the watcher backs off and resumes. */
  | { kind: 'error'; code: number; detail: string }
  /** The test stopped the watcher. */
  | { kind: 'stopped' };

export interface Segment {
  gateway: string;
  mode: 'unset' | 'zero' | 'exact' | 'watchlist';
  /** exact, and watchlist when given: the resourceVersion asked for. */
  fromRv?: number;
  /** unset: etcd's revision just before the request; a consistent snapshot is not older. */
  notBeforeRv?: number;
  /** The LIST this watch follows after a 410 (the list's RV is fromRv). */
  list?: { rv: number; items: ObjectDigest[] };
  events: ObservedEvent[];
  end?: SegmentEnd;
  /** Problems with the stream itself (unparsable line, event after ERROR). */
  protocolErrors: string[];
}

export interface WatcherSpec {
  id: string;
  filter: WatchFilter;
  start: StartMode;
  /** Index into the gateway list of the first gateway to use. */
  gateway: number;
  /** Bounds of the random timeoutSeconds of each watch request. */
  timeoutSeconds: [number, number];
}

export interface WatcherOptions {
  /** etcd's current revision, for the lower bound of a consistent (unset) start. */
  etcdRevision: () => Promise<number>;
  /** Collection path without namespace, e.g. "/api/v1" + resource "configmaps". */
  apiPrefix: string;
  resource: string;
}

export class Watcher {
  readonly segments: Segment[] = [];
  private stopped = false;
  private current: ClientRequest | undefined;
  private loop: Promise<void> | undefined;
  private gatewayIndex: number;
  relists = 0;

  constructor(
    readonly spec: WatcherSpec,
    private readonly http: KubeHttp,
    private readonly opts: WatcherOptions,
  ) {
    this.gatewayIndex = spec.gateway;
  }

  start(): void {
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.current?.destroy();
    await this.loop;
  }

  /** The highest RV this watcher is known to be complete through, if any. */
  position(): number | undefined {
    const seg = this.segments[this.segments.length - 1];
    return seg ? segmentPosition(seg) : undefined;
  }

  private path(query: Record<string, string>): string {
    const f = this.spec.filter;
    const ns = f.namespace === undefined ? '' : `/namespaces/${encodeURIComponent(f.namespace)}`;
    const q = new URLSearchParams(query);
    if (f.labelSelector) q.set('labelSelector', f.labelSelector);
    if (f.fieldSelector) q.set('fieldSelector', f.fieldSelector);
    return `${this.opts.apiPrefix}${ns}/${this.opts.resource}?${q.toString()}`;
  }

  private gateway(): string {
    const gws = this.http.gateways;
    return gws[this.gatewayIndex % gws.length]!;
  }

  private async run(): Promise<void> {
    let next: StartMode = this.spec.start;
    let backoffMs = 100;
    while (!this.stopped) {
      const seg = await this.watchOnce(next);
      if (this.stopped) break;
      const end = seg.end!;
      if (end.kind === 'gone') {
        const listed = await this.relist();
        if (!listed) break;
        next = { kind: 'exact', rv: listed.rv, list: listed };
        continue;
      }
      const pos = segmentPosition(seg);
      if (pos !== undefined) next = { kind: 'exact', rv: pos };
      // A dead or failing gateway: go to another, as a load balancer would; after a clean
      // end any gateway (so restarted gateways, with fresh feeds, get watchers back).
      if (end.kind === 'transport' || end.kind === 'error') this.gatewayIndex++;
      else if (end.kind === 'clean') this.gatewayIndex = Math.floor(Math.random() * 1024);
      if (end.kind === 'clean' && seg.events.length > 0) {
        backoffMs = 100;
        continue;
      }
      // Nothing useful came: back off a little, as client-go does.
      await sleep(backoffMs);
      backoffMs = Math.min(backoffMs * 2, 2_000);
    }
  }

  private async watchOnce(start: StartMode): Promise<Segment> {
    const gateway = this.gateway();
    const seg: Segment = {
      gateway,
      mode: start.kind,
      events: [],
      protocolErrors: [],
    };
    const query: Record<string, string> = { watch: '1', allowWatchBookmarks: 'true' };
    const [lo, hi] = this.spec.timeoutSeconds;
    const timeoutSeconds = lo + Math.floor(Math.random() * (hi - lo + 1));
    query.timeoutSeconds = String(timeoutSeconds);
    if (start.kind === 'zero') query.resourceVersion = '0';
    if (start.kind === 'exact') {
      query.resourceVersion = String(start.rv);
      seg.fromRv = start.rv;
      if (start.list) seg.list = start.list;
    }
    if (start.kind === 'watchlist') {
      query.sendInitialEvents = 'true';
      query.resourceVersionMatch = 'NotOlderThan';
      if (start.rv !== undefined) {
        query.resourceVersion = String(start.rv);
        seg.fromRv = start.rv;
      }
    }
    if (start.kind === 'unset' || (start.kind === 'watchlist' && start.rv === undefined)) {
      try {
        seg.notBeforeRv = await this.opts.etcdRevision();
      } catch {
        seg.notBeforeRv = 0; // etcd down: no bound
      }
    }
    this.segments.push(seg);
    const { req, response } = this.http.open(gateway, 'GET', this.path(query));
    this.current = req;
    // A stream the server never ends (it must, at timeoutSeconds) is cut by the client.
    const guard = setTimeout(
      () => req.destroy(new Error('watch outlived its timeoutSeconds by 30 s')),
      (timeoutSeconds + 30) * 1000,
    );
    try {
      const res = await response;
      if (res.statusCode !== 200) {
        const chunks: Buffer[] = [];
        for await (const c of res) chunks.push(c as Buffer);
        const text = Buffer.concat(chunks).toString('utf8');
        const code = res.statusCode ?? 0;
        seg.end =
          code === 410
            ? { kind: 'gone', detail: text.slice(0, 300) }
            : { kind: 'error', code, detail: text.slice(0, 300) };
        return seg;
      }
      let buf = '';
      for await (const chunk of res) {
        buf += (chunk as Buffer).toString('utf8');
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl).trim();
          buf = buf.slice(nl + 1);
          if (line) this.onLine(seg, line);
        }
      }
      if (buf.trim()) this.onLine(seg, buf.trim());
      seg.end ??= { kind: 'clean' };
    } catch (err) {
      if (this.stopped) seg.end ??= { kind: 'stopped' };
      else {
        const detail =
          err instanceof TransportError
            ? String((err.cause as Error | undefined)?.message ?? err.message)
            : (err as Error).message;
        seg.end ??= { kind: 'transport', detail };
      }
    } finally {
      clearTimeout(guard);
      this.current = undefined;
    }
    if (this.stopped && seg.end?.kind !== 'gone') seg.end = { kind: 'stopped' };
    return seg;
  }

  private onLine(seg: Segment, line: string): void {
    if (seg.end) {
      seg.protocolErrors.push(`line after ${seg.end.kind}: ${line.slice(0, 200)}`);
      return;
    }
    let ev: { type?: string; object?: any };
    try {
      ev = JSON.parse(line);
    } catch {
      seg.protocolErrors.push(`unparsable line: ${line.slice(0, 200)}`);
      return;
    }
    const type = ev.type;
    if (type === 'ERROR') {
      const status = ev.object ?? {};
      const code = Number(status.code ?? 0);
      const detail = `${code} ${status.reason ?? ''}: ${status.message ?? ''}`;
      seg.end = code === 410 ? { kind: 'gone', detail } : { kind: 'error', code, detail };
      return;
    }
    const rv = Number(ev.object?.metadata?.resourceVersion);
    if (type === 'BOOKMARK') {
      const end = ev.object?.metadata?.annotations?.['k8s.io/initial-events-end'] === 'true';
      seg.events.push(end ? { type, rv, initialEnd: true } : { type, rv });
    } else if (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED') {
      seg.events.push({ type, rv, object: digestObject(ev.object) });
    } else {
      seg.protocolErrors.push(`unknown event type: ${line.slice(0, 200)}`);
    }
  }

  /** LIST at RV unset (consistent) on any gateway until one answers. */
  private async relist(): Promise<{ rv: number; items: ObjectDigest[] } | undefined> {
    this.relists++;
    let backoffMs = 100;
    while (!this.stopped) {
      try {
        const r = await this.http.request('GET', this.path({}));
        if (r.status === 200) {
          const body = r.body as { metadata?: { resourceVersion?: string }; items?: unknown[] };
          return {
            rv: Number(body.metadata?.resourceVersion),
            items: (body.items ?? []).map(digestObject),
          };
        }
      } catch (err) {
        if (!(err instanceof TransportError)) throw err;
      }
      await sleep(backoffMs);
      backoffMs = Math.min(backoffMs * 2, 2_000);
    }
    return undefined;
  }
}

/**
 * The RV a client resumes from after this segment: the last event's or bookmark's RV (for
 * exact starts, at least the RV asked for). Undefined when an unset/0 watch saw nothing.
 */
export function segmentPosition(seg: Segment): number | undefined {
  let pos = seg.mode === 'exact' ? seg.fromRv : undefined;
  for (const e of seg.events) if (pos === undefined || e.rv > pos) pos = e.rv;
  return pos;
}
