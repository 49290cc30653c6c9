// The wire form of a window event, shared by the Events RPC and the NATS publisher so every
// path and every replica produce the same bytes for the same etcd revision.
import type { WatchEvent } from '@splitplane/proto';
import type { RoutedResource } from '../cache/index.js';
import type { WindowEvent } from '../window/index.js';

const EMPTY = Buffer.alloc(0);

export function toWatchEvent(route: RoutedResource, event: WindowEvent): WatchEvent {
  const rest = event.key.slice(route.prefix.length);
  const slash = route.def.namespaced ? rest.indexOf('/') : -1;
  return {
    type: event.type,
    object: asBuffer(event.object),
    rv: event.rv.toString(),
    prevRv: event.prevRv.toString(),
    // The contract carries the previous state for MODIFIED only.
    prevObject: event.type === 'MODIFIED' && event.prevObject ? asBuffer(event.prevObject) : EMPTY,
    namespace: slash > 0 ? rest.slice(0, slash) : '',
    name: slash > 0 ? rest.slice(slash + 1) : rest,
  };
}

/** "No event of this resource in (prevRv, rv]". */
export function progressEvent(rv: bigint, prevRv: bigint): WatchEvent {
  return {
    type: 'PROGRESS',
    object: EMPTY,
    rv: rv.toString(),
    prevRv: prevRv.toString(),
    prevObject: EMPTY,
    namespace: '',
    name: '',
  };
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes)
    ? bytes
    : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
