// Builds the cache's form of an object: reply bytes plus what selectors need. The parsed
// object is dropped right away so the cache holds one copy of each object (its bytes).
import { fieldAttributes } from '@splitplane/apimachinery';
import type { KubeObject, ResourceDefinition } from '@splitplane/scheme';
import type { ParsedKey } from './key-router.js';
import type { CachedObject } from './types.js';

const NO_LABELS: Readonly<Record<string, string>> = Object.freeze({});

/** `json` already carries metadata.resourceVersion = rv (jsonWithResourceVersion). */
export function cachedObject(
  key: string,
  parsed: ParsedKey,
  json: Buffer,
  rv: bigint,
): CachedObject {
  const obj = JSON.parse(json.toString('utf8')) as KubeObject;
  return build(parsed.route.def, key, parsed.namespace, parsed.name, rv, json, obj);
}

/** A past state from the event window: name, namespace and rv come from its own metadata. */
export function cachedObjectFromJson(
  def: ResourceDefinition,
  key: string,
  json: Uint8Array,
): CachedObject {
  const buf = Buffer.isBuffer(json)
    ? json
    : Buffer.from(json.buffer, json.byteOffset, json.byteLength);
  const obj = JSON.parse(buf.toString('utf8')) as KubeObject;
  const meta = obj.metadata ?? {};
  const rv =
    meta.resourceVersion && /^\d+$/.test(meta.resourceVersion) ? BigInt(meta.resourceVersion) : 0n;
  return build(def, key, meta.namespace ?? '', meta.name ?? '', rv, buf, obj);
}

function build(
  def: ResourceDefinition,
  key: string,
  namespace: string,
  name: string,
  rv: bigint,
  json: Buffer,
  obj: KubeObject,
): CachedObject {
  const labels = obj.metadata?.labels;
  return {
    key,
    namespace,
    name,
    rv,
    json,
    labels: labels && Object.keys(labels).length > 0 ? labels : NO_LABELS,
    fields: fieldAttributes(def, obj as Record<string, unknown>),
  };
}
