// Watch events in one negotiated wire form (JSON lines or protobuf frames, optionally as
// Table / PartialObjectMetadata). A feed event is shared by every watcher of the resource,
// so its encodings are memoized per event: fanning one event out to a thousand watchers
// that asked for the same form encodes it once.
import type { FeedEvent } from '@splitplane/informer';
import {
  type IncludeObject,
  type KubeObject,
  type ResourceDefinition,
  apiVersionOf,
} from '@splitplane/scheme';
import type { Status } from '@splitplane/apimachinery';
import type { OutputFormat } from '../negotiation/media-type.js';
import { protobufCodec } from '../negotiation/protobuf.js';
import { transformObject } from '../negotiation/encode.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

/** Which state of a feed event a watcher sends: the object, or (leaving its selector) the previous state. */
export type EventSource = 'object' | 'prev';

// Per feed event: encoder key -> bytes. Entries die with the event.
const encoded = new WeakMap<FeedEvent, Map<string, Buffer>>();
// The previous state re-stamped with the event's resourceVersion, shared by every encoder.
const prevAtRv = new WeakMap<FeedEvent, Buffer>();

const INITIAL_EVENTS_END = 'k8s.io/initial-events-end';

export class EventEncoder {
  /** Encoders with equal keys produce equal bytes. */
  readonly key: string;
  readonly contentType: string;
  private readonly protobuf: boolean;

  constructor(
    private readonly def: ResourceDefinition,
    private readonly format: OutputFormat,
    private readonly includeObject: IncludeObject,
  ) {
    this.protobuf = format.encoding === 'protobuf';
    this.key = `${format.encoding}|${format.transform}|${format.metaVersion}|${format.transform === 'table' ? includeObject : ''}`;
    this.contentType = this.protobuf
      ? 'application/vnd.kubernetes.protobuf;stream=watch'
      : format.transform === 'table'
        ? `application/json;as=Table;v=${format.metaVersion};g=meta.k8s.io`
        : format.transform === 'partial'
          ? `application/json;as=PartialObjectMetadata;v=${format.metaVersion};g=meta.k8s.io`
          : 'application/json';
  }

  /** A feed event as `type`, memoized on the event. */
  event(type: 'ADDED' | 'MODIFIED' | 'DELETED', event: FeedEvent, source: EventSource): Buffer {
    let cache = encoded.get(event);
    if (!cache) {
      cache = new Map();
      encoded.set(event, cache);
    }
    const key = `${type}|${source}|${this.key}`;
    let bytes = cache.get(key);
    if (!bytes) {
      const object = source === 'object' ? event.object : prevStampedAtRv(event);
      bytes = this.objectEvent(type, object);
      cache.set(key, bytes);
    }
    return bytes;
  }

  /** One object (JSON bytes from the watch-cache) as an event; initial events use this. */
  objectEvent(type: 'ADDED' | 'MODIFIED' | 'DELETED', object: Buffer): Buffer {
    if (this.protobuf) {
      return frame(type, JSON.parse(object.toString('utf8')) as Record<string, unknown>);
    }
    if (this.format.transform === 'none') return jsonLine(type, object);
    const obj = JSON.parse(object.toString('utf8')) as KubeObject;
    return jsonLine(type, Buffer.from(JSON.stringify(this.transform(obj))));
  }

  /**
   * kube's bookmark: the kind's empty object carrying only the resourceVersion (and, ending
   * the initial events of a watch-list, the `k8s.io/initial-events-end` annotation).
   */
  bookmark(rv: bigint, initialEventsEnd = false): Buffer {
    const metadata: Record<string, unknown> = { resourceVersion: rv.toString() };
    if (initialEventsEnd) metadata.annotations = { [INITIAL_EVENTS_END]: 'true' };
    const obj: KubeObject =
      this.format.transform === 'partial'
        ? this.transform({ kind: this.def.kind, apiVersion: apiVersionOf(this.def), metadata })
        : { kind: this.def.kind, apiVersion: apiVersionOf(this.def), metadata };
    if (this.protobuf) return frame('BOOKMARK', obj as Record<string, unknown>);
    return jsonLine('BOOKMARK', Buffer.from(JSON.stringify(obj)));
  }

  /** An ERROR event carrying a Status (never transformed). */
  error(status: Status): Buffer {
    if (this.protobuf) return frame('ERROR', status as unknown as Record<string, unknown>);
    return jsonLine('ERROR', Buffer.from(JSON.stringify(status)));
  }

  private transform(obj: KubeObject): KubeObject {
    return transformObject(this.def, obj, this.format, this.includeObject) as KubeObject;
  }
}

function prevStampedAtRv(event: FeedEvent): Buffer {
  let bytes = prevAtRv.get(event);
  if (!bytes) {
    // kube: an object leaving the selector is a DELETED event with its previous content,
    // but the event's resourceVersion (cacheWatcher.convertToWatchEvent).
    const prev = event.parsedPrev() ?? event.parsed();
    const stamped = {
      ...prev,
      metadata: { ...(prev.metadata ?? {}), resourceVersion: event.rv.toString() },
    };
    bytes = Buffer.from(JSON.stringify(stamped));
    prevAtRv.set(event, bytes);
  }
  return bytes;
}

const TAIL = Buffer.from('}\n');
const HEADS = new Map<string, Buffer>();

function jsonLine(type: WatchEventType, object: Buffer): Buffer {
  let head = HEADS.get(type);
  if (!head) {
    head = Buffer.from(`{"type":"${type}","object":`);
    HEADS.set(type, head);
  }
  return Buffer.concat([head, object, TAIL]);
}

function frame(type: WatchEventType, obj: Record<string, unknown>): Buffer {
  const codec = protobufCodec();
  if (!codec) throw new Error('protobuf codec not loaded');
  return Buffer.from(codec.encodeWatchEventFrame(type, obj));
}
