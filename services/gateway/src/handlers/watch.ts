// WATCH: a chunked stream of events (JSON lines or protobuf frames) served from the
// resource's NATS feed (DESIGN §4) through the gateway's FeedHub. Initial events come from
// the watch-cache's List; kube's semantics for resourceVersion, sendInitialEvents,
// bookmarks and timeoutSeconds are in watch/watch-plan.ts and watch/watcher.ts.
// Once the stream has started, errors are an ERROR event carrying a Status, as kube sends.
import { once } from 'node:events';
import {
  filterFor,
  newServiceUnavailable,
  parseFieldSelector,
  toStatusError,
} from '@splitplane/apimachinery';
import { abortable } from '@splitplane/kit';
import type { ListRequest, ListResponse } from '@splitplane/proto';
import { includeObjectOf, negotiateFor } from '../negotiation/encode.js';
import { normalizeStatus } from '../errors/write-status.js';
import { unaryCall } from '../backends/unary.js';
import { EventEncoder } from '../watch/event-encoder.js';
import { planWatch, type WatchPlan } from '../watch/watch-plan.js';
import { Watcher, type WatcherScope } from '../watch/watcher.js';
import type { FeedLease } from '../watch/feed-hub.js';
import { listOptions } from './options.js';
import { type ResourceRequest, attributes } from './resource-request.js';

/** kube's queue of a slow watcher is bounded in events; ours in bytes. */
export const DEFAULT_WATCH_MAX_QUEUE_BYTES = 16 * 1024 * 1024;
export const DEFAULT_WATCH_MAX_UNWRITABLE_MS = 30_000;
/** The longest a watch waits for its initial list before reporting the failure. */
const INITIAL_LIST_TIMEOUT_MS = 60_000;

export async function handleWatch(r: ResourceRequest): Promise<void> {
  const negotiated = negotiateFor(r.req, r.def);
  // Watch streams are JSON lines or length-prefixed protobuf frames; YAML has no stream
  // framing, so YAML clients get JSON.
  const format =
    negotiated.encoding === 'yaml'
      ? { ...negotiated, encoding: 'json' as const, contentType: 'application/json' }
      : negotiated;
  const options = listOptions(r.query);
  const plan = planWatch(options);
  const filter = filterFor(r.def, options.labelSelector, options.fieldSelector);
  const encoder = new EventEncoder(
    r.def,
    format,
    format.transform === 'table' ? includeObjectOf(r.req) : 'Metadata',
  );
  const scope = watcherScope(r, filter, options.fieldSelector);
  const hub = r.deps.watchHub;
  if (!hub) throw newServiceUnavailable('watch is unavailable: the gateway has no NATS feed');

  let timeoutSeconds = Number(options.timeoutSeconds);
  if (!(timeoutSeconds > 0)) {
    const min = r.deps.minRequestTimeoutSeconds;
    timeoutSeconds = Math.floor(min * (1 + Math.random()));
  }
  const deadline = Date.now() + timeoutSeconds * 1000;

  const { res } = r;
  res.status(200);
  res.setHeader('Content-Type', encoder.contentType);
  res.setHeader('Cache-Control', 'no-cache, private');
  res.flushHeaders();

  // Until the watcher exists, the client leaving or the timeout ends the request here.
  const abort = new AbortController();
  const onAbort = () => abort.abort();
  r.ctx.signal.addEventListener('abort', onAbort, { once: true });
  res.once('close', onAbort);
  const timer = setTimeout(onAbort, timeoutSeconds * 1000);
  timer.unref();

  let lease: FeedLease | undefined;
  try {
    const acquiring = hub.acquire(r.def.group, r.def.plural);
    lease = await abortable(acquiring, abort.signal).catch((err: unknown) => {
      // Given up on (client gone, timeout): hand the lease back once it arrives.
      acquiring.then((l) => l.release()).catch(() => undefined);
      throw err;
    });
    const startRv = await initialEvents(r, plan, encoder, abort.signal, deadline);
    if (abort.signal.aborted || startRv === undefined) return;
    const watcher = new Watcher({
      scope,
      encoder,
      sink: res,
      startRv,
      allowWatchBookmarks: plan.allowWatchBookmarks,
      bookmarkIntervalMs: r.deps.watchBookmarkIntervalMs ?? 60_000,
      deadline,
      maxQueueBytes: r.deps.watchMaxQueueBytes ?? DEFAULT_WATCH_MAX_QUEUE_BYTES,
      maxUnwritableMs: r.deps.watchMaxUnwritableMs ?? DEFAULT_WATCH_MAX_UNWRITABLE_MS,
    });
    if (plan.initialEventsEndBookmark) watcher.initialEventsEnd(startRv);
    abort.signal.addEventListener('abort', () => watcher.stop('client'), { once: true });
    lease.attach(watcher, startRv);
    await watcher.done;
  } catch (err) {
    if (!abort.signal.aborted && !res.writableEnded) {
      res.write(encoder.error(normalizeStatus(toStatusError(err).status)));
    }
  } finally {
    clearTimeout(timer);
    r.ctx.signal.removeEventListener('abort', onAbort);
    res.off('close', onAbort);
    lease?.release();
    if (!res.writableEnded) res.end();
  }
}

/**
 * Writes the plan's initial ADDED events (honouring backpressure: a large list waits for
 * the client rather than counting against the live queue bound) and returns the RV the
 * live events start after; undefined when the request ended meanwhile.
 */
async function initialEvents(
  r: ResourceRequest,
  plan: WatchPlan,
  encoder: EventEncoder,
  signal: AbortSignal,
  deadline: number,
): Promise<bigint | undefined> {
  if (plan.start === 'rv') return plan.startRv;
  const onlyRv = plan.start === 'now';
  const request: ListRequest = {
    attributes: attributes(r),
    options: {
      labelSelector: onlyRv ? '' : (r.query.get('labelSelector') ?? ''),
      fieldSelector: onlyRv ? '' : (r.query.get('fieldSelector') ?? ''),
      // Only the RV wanted: a consistent one-item page (most recent also satisfies RV "0",
      // for which the cache would ignore the limit and send everything).
      resourceVersion: onlyRv ? '' : plan.listRv,
      resourceVersionMatch: onlyRv ? '' : plan.listMatch,
      limit: onlyRv ? '1' : '0',
      continue: '',
      allowWatchBookmarks: false,
      timeoutSeconds: '0',
    },
  };
  const client = r.deps.watchCache;
  const list = await unaryCall<ListRequest, ListResponse>(
    client,
    client.list,
    request,
    {
      deadline: new Date(Math.min(deadline, Date.now() + INITIAL_LIST_TIMEOUT_MS)),
      signal,
      auditId: r.ctx.auditId,
    },
    'watch-cache',
  );
  if (!onlyRv) {
    const { res } = r;
    for (const item of list.items) {
      if (signal.aborted) return undefined;
      if (!res.write(encoder.objectEvent('ADDED', item))) {
        await abortable(once(res, 'drain'), signal).catch(() => undefined);
      }
    }
  }
  return signal.aborted ? undefined : BigInt(list.resourceVersion);
}

function watcherScope(
  r: ResourceRequest,
  filter: ReturnType<typeof filterFor>,
  fieldSelector: string,
): WatcherScope {
  const namespace = r.def.namespaced ? r.ctx.info.namespace : '';
  const name = r.ctx.info.name || filter.name || '';
  const scope: WatcherScope = { namespace, name, filter };
  // kube indexes pod watchers by the node they select (the kubelet's watch).
  if (!name && r.def.group === '' && r.def.plural === 'pods' && fieldSelector) {
    const selector = parseFieldSelector(fieldSelector);
    const node =
      selector.requiresExactMatch('spec.nodeName') ?? selector.requiresExactMatch('spec.host');
    if (node !== undefined) scope.nodeName = node;
  }
  return scope;
}
