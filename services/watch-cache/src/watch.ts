// A watch served by its own etcd watch: the honest simple form until issue #3 replaces it
// with one etcd watch per replica and NATS fan-out. Semantics follow kube's cacheWatcher:
// initial ADDED events when no resourceVersion is given, selector transitions turn into
// ADDED/DELETED, and a compacted start revision is a 410 Expired ERROR event.
import type { ServerWritableStream } from '@grpc/grpc-js';
import { newResourceExpired, newBadRequest } from '@splitplane/apimachinery';
import type { WatchEvent, WatchRequest } from '@splitplane/proto';
import { collectionPrefix, type KubeObject, type ResourceDefinition } from '@splitplane/scheme';
import { decodeObject, watchPrefix, type EtcdStorage } from '@splitplane/storage';
import type { ObjectFilter } from '@splitplane/apimachinery';

export interface WatchScope {
  def: ResourceDefinition;
  namespace: string;
  filter: ObjectFilter;
}

type Stream = ServerWritableStream<WatchRequest, WatchEvent>;

export async function serveWatch(
  storage: EtcdStorage,
  stream: Stream,
  scope: WatchScope,
): Promise<void> {
  const options = stream.request.options;
  const rv = options?.resourceVersion ?? '';
  if (rv && !/^\d+$/.test(rv))
    throw newBadRequest(`resourceVersion: Invalid value: "${rv}": must be an integer`);
  const prefix = collectionPrefix(scope.def, scope.namespace);
  let lastRv = rv;
  let startRevision: string;

  const initialEvents = options?.sendInitialEvents ?? (rv === '' || rv === '0');
  if (initialEvents) {
    // Synthetic ADDED events for the current state, then the stream from that snapshot.
    const page = await storage.list(prefix);
    for (const obj of page.items) {
      if (scope.filter.matches(obj))
        send(stream, 'ADDED', obj, obj.metadata?.resourceVersion ?? page.revision);
    }
    lastRv = page.revision;
    startRevision = (BigInt(page.revision) + 1n).toString();
  } else {
    startRevision = (BigInt(rv) + 1n).toString();
  }

  const etcdWatch = watchPrefix(storage.client, prefix, startRevision, { prevKv: true });
  const close = () => void etcdWatch.close();
  stream.on('cancelled', close);
  stream.on('close', close);

  for await (const message of etcdWatch) {
    if (message.kind === 'events') {
      for (const event of message.events) {
        const revision = event.modRevision;
        const current = event.type === 'put' ? decodeObject(event.value, revision) : undefined;
        const previous = event.type === 'put' ? event.prevValue : event.value;
        const before = previous?.length ? decodeObject(previous, revision) : undefined;
        const nowMatches = current !== undefined && scope.filter.matches(current);
        const beforeMatched = before !== undefined && scope.filter.matches(before);
        if (nowMatches) send(stream, beforeMatched ? 'MODIFIED' : 'ADDED', current, revision);
        else if (beforeMatched) send(stream, 'DELETED', before, revision);
        lastRv = revision;
      }
    } else if (message.kind === 'compacted') {
      const status = newResourceExpired(
        `too old resource version: ${rv || lastRv} (${message.compactRevision})`,
      ).status;
      stream.write({
        type: 'ERROR',
        object: Buffer.from(JSON.stringify(status)),
        rv: '',
        prevRv: lastRv,
        prevObject: Buffer.alloc(0),
        namespace: '',
        name: '',
      });
      break;
    } else if (message.kind === 'closed') {
      // etcd went away: end cleanly, as kube does; clients resume from their last RV.
      break;
    }
  }
  close();
  stream.end();
}

function send(stream: Stream, type: string, obj: KubeObject, rv: string): void {
  stream.write({
    type,
    object: Buffer.from(JSON.stringify(obj)),
    rv,
    prevRv: '',
    prevObject: Buffer.alloc(0),
    namespace: obj.metadata?.namespace ?? '',
    name: obj.metadata?.name ?? '',
  });
}
