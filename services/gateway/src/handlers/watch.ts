// WATCH: a chunked stream of `{"type":...,"object":...}` lines fed by the watch-cache's
// Watch server stream (one gRPC stream per watcher; the NATS fan-out of DESIGN §4 replaces
// this in issue #3). `timeoutSeconds` ends the stream cleanly, as kube does (a random
// 1-2x --min-request-timeout when unset); backend errors become an ERROR event carrying a
// Status; a client disconnect cancels the gRPC stream.
import { Metadata, status as GrpcCode, type ServiceError } from '@grpc/grpc-js';
import { toStatusError } from '@splitplane/apimachinery';
import { fromGrpcError } from '@splitplane/kit';
import type { WatchEvent, WatchRequest } from '@splitplane/proto';
import { negotiateFor, transformEventObject } from '../negotiation/encode.js';
import { normalizeStatus } from '../errors/write-status.js';
import { protobufCodec } from '../negotiation/protobuf.js';
import { listOptions } from './options.js';
import { type ResourceRequest, attributes } from './resource-request.js';

export async function handleWatch(r: ResourceRequest): Promise<void> {
  const negotiated = negotiateFor(r.req, r.def);
  // Watch streams are JSON lines or length-prefixed protobuf frames; YAML has no stream
  // framing, so YAML clients get JSON.
  const format =
    negotiated.encoding === 'yaml'
      ? { ...negotiated, encoding: 'json' as const, contentType: 'application/json' }
      : negotiated;
  const protobuf = format.encoding === 'protobuf' ? protobufCodec() : undefined;
  const options = listOptions(r.query);
  let timeoutSeconds = Number(options.timeoutSeconds);
  if (!(timeoutSeconds > 0)) {
    const min = r.deps.minRequestTimeoutSeconds;
    timeoutSeconds = Math.floor(min * (1 + Math.random()));
  }
  options.timeoutSeconds = String(timeoutSeconds);
  const request: WatchRequest = { attributes: attributes(r), options };
  const metadata = new Metadata();
  metadata.set('audit-id', r.ctx.auditId);
  const stream = r.deps.watchCache.watch(request, metadata);
  const { res } = r;

  const contentType = protobuf
    ? 'application/vnd.kubernetes.protobuf;stream=watch'
    : format.transform === 'table'
      ? `application/json;as=Table;v=${format.metaVersion};g=meta.k8s.io`
      : format.transform === 'partial'
        ? `application/json;as=PartialObjectMetadata;v=${format.metaVersion};g=meta.k8s.io`
        : 'application/json';
  res.status(200);
  res.setHeader('Content-Type', contentType);
  res.setHeader('Cache-Control', 'no-cache, private');
  res.flushHeaders();

  await new Promise<void>((resolve) => {
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      r.ctx.signal.removeEventListener('abort', onAbort);
      stream.cancel();
      if (!res.writableEnded) res.end();
      resolve();
    };
    const timer = setTimeout(finish, timeoutSeconds * 1000);
    timer.unref();
    const onAbort = () => finish();
    r.ctx.signal.addEventListener('abort', onAbort, { once: true });
    res.on('drain', () => stream.resume());

    stream.on('data', (event: WatchEvent) => {
      if (finished) return;
      if (event.type === 'BOOKMARK' && !options.allowWatchBookmarks) return;
      let line: Buffer | Uint8Array | string;
      try {
        line = protobuf
          ? protobuf.encodeWatchEventFrame(
              event.type,
              JSON.parse(event.object.toString('utf8')) as Record<string, unknown>,
            )
          : eventLine(r, format, event);
      } catch (err) {
        writeError(err);
        return;
      }
      if (!res.write(line)) stream.pause();
    });
    stream.on('error', (err: ServiceError) => {
      if (finished) return;
      if (err.code === GrpcCode.CANCELLED) return finish();
      writeError(fromGrpcError(err, 'watch-cache'));
    });
    stream.on('end', finish);

    function writeError(err: unknown) {
      const status = normalizeStatus(toStatusError(err).status);
      res.write(
        protobuf
          ? protobuf.encodeWatchEventFrame('ERROR', status as unknown as Record<string, unknown>)
          : `{"type":"ERROR","object":${JSON.stringify(status)}}\n`,
      );
      finish();
    }
  });
}

function eventLine(
  r: ResourceRequest,
  format: ReturnType<typeof negotiateFor>,
  event: WatchEvent,
): Buffer | string {
  const object =
    event.type === 'BOOKMARK' || event.type === 'ERROR'
      ? event.object
      : transformEventObject(r.req, r.def, format, event.object);
  if (Buffer.isBuffer(object)) {
    return Buffer.concat([
      Buffer.from(`{"type":${JSON.stringify(event.type)},"object":`),
      object,
      EVENT_TAIL,
    ]);
  }
  return `{"type":${JSON.stringify(event.type)},"object":${JSON.stringify(object)}}\n`;
}

const EVENT_TAIL = Buffer.from('}\n');
