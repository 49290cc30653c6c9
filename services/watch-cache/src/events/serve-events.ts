// The Events RPC: a resource's events in (fromRv, toRv] from this replica's window, for
// subscribers healing a gap or catching up (contract of issue #3).
import { newBadRequest, newResourceExpired, newTimeout } from '@splitplane/apimachinery';
import type { EventsRequest, EventsResponse } from '@splitplane/proto';
import type { Scheme } from '@splitplane/scheme';
import { resourceKey } from '../window/index.js';
import type { WatchCache } from '../cache/index.js';
import { isNotYet, isTooOld, InvalidResourceVersionError, parseRv } from '../window/index.js';
import { resolveResource } from '../resolve.js';
import { toWatchEvent } from './watch-event.js';

/** Without a gRPC deadline, an Events call waits at most this long for a future revision. */
export const DEFAULT_EVENTS_WAIT_MS = 60_000;

export async function serveEvents(
  cache: WatchCache,
  scheme: Scheme,
  request: EventsRequest,
  deadline: number,
  signal?: AbortSignal,
): Promise<EventsResponse> {
  const gvr = request.resource;
  // Only group and resource matter: any served version names the same events.
  const def =
    gvr && !gvr.version
      ? scheme.all().find((d) => d.group === gvr.group && d.plural === gvr.resource)
      : undefined;
  const resolved = def ?? resolveResource(scheme, gvr);
  const route = cache.routeOf(resolved);
  const from = rvParam('fromRv', request.fromRv);
  const to = request.toRv ? rvParam('toRv', request.toRv) : undefined;
  if (to !== undefined && from > to)
    throw newBadRequest(`fromRv ${from} must not be greater than toRv ${to}`);
  const target = to ?? from;
  for (;;) {
    if (cache.rv < target && !(await cache.waitUntil(target, deadline, signal)))
      throw newTimeout(`Too large resource version: ${target}, current: ${cache.rv}`, 1);
    const through = to ?? cache.rv;
    const key = route?.resource ?? resourceKey(resolved.group, resolved.plural);
    const events = cache.windows.range(key, from, through);
    if (isTooOld(events)) throw newResourceExpired(events.message);
    if (isNotYet(events)) continue; // a relist moved the window; wait again
    return {
      events: route ? events.map((e) => toWatchEvent(route, e)) : [],
      throughRv: through.toString(),
    };
  }
}

function rvParam(name: string, value: string): bigint {
  try {
    return parseRv(value);
  } catch (err) {
    if (err instanceof InvalidResourceVersionError)
      throw newBadRequest(`${name}: Invalid value: "${value}": must be an integer`, err);
    throw err;
  }
}
