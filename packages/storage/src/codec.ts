// Objects are stored as JSON without metadata.resourceVersion: the version *is* the etcd
// mod_revision, filled in on the way out (as kube's APIObjectVersioner does).
import type { KubeObject } from '@splitplane/scheme';

/** The bytes stored in etcd for `obj` (resourceVersion stripped, nothing else touched). */
export function encodeObject(obj: KubeObject): Buffer {
  const meta = obj.metadata;
  if (meta && 'resourceVersion' in meta) {
    const { resourceVersion: _rv, ...rest } = meta;
    return Buffer.from(JSON.stringify({ ...obj, metadata: rest }), 'utf8');
  }
  return Buffer.from(JSON.stringify(obj), 'utf8');
}

export function decodeObject(value: Buffer, rv: string): KubeObject {
  const obj = JSON.parse(value.toString('utf8')) as KubeObject;
  return withResourceVersion(obj, rv);
}

/** Sets metadata.resourceVersion, keeping it right after the fields kube puts first. */
export function withResourceVersion(obj: KubeObject, rv: string | undefined): KubeObject {
  const meta = { ...(obj.metadata ?? {}) };
  if (rv === undefined) delete meta.resourceVersion;
  else meta.resourceVersion = rv;
  return { ...obj, metadata: meta };
}

/** The end of the etcd range holding every key with this prefix ("/a/" -> "/a0"). */
export function prefixEnd(prefix: string): Buffer {
  const end = Buffer.from(prefix, 'utf8');
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i]! < 0xff) {
      end[i] = end[i]! + 1;
      return end.subarray(0, i + 1);
    }
  }
  return Buffer.from([0]);
}

/**
 * An object encoded for etcd, and the JSON a reply carries once its resourceVersion is known,
 * without serialising it twice: the reply is the stored bytes with `"resourceVersion"`
 * spliced into metadata. Byte for byte `JSON.stringify(withResourceVersion(obj, rv))`.
 */
export interface EncodedObject {
  /** What encodeObject(obj) returns: the value stored in etcd. */
  value: Buffer;
  /** JSON.stringify(withResourceVersion(obj, rv)) as UTF-8. */
  withResourceVersion(rv: string | undefined): Buffer;
}

export function encodeObjectForReply(obj: KubeObject): EncodedObject {
  const meta = obj.metadata as unknown;
  // Splicing needs metadata to be a plain object serialised by JSON.stringify's own rules,
  // and no resourceVersion already in it (withResourceVersion keeps that key's position).
  if (!isPlainObject(obj) || !isPlainObject(meta) || 'resourceVersion' in meta) {
    const value = encodeObject(obj);
    return {
      value,
      withResourceVersion: (rv) => Buffer.from(JSON.stringify(withResourceVersion(obj, rv))),
    };
  }
  // The top-level members in JSON.stringify's order (Object.keys), metadata kept apart.
  let head = '{';
  let tail = '';
  let metaJson = '';
  let seenMeta = false;
  for (const k of Object.keys(obj)) {
    if (k === 'metadata') {
      metaJson = JSON.stringify(meta);
      head += `${head.length > 1 ? ',' : ''}"metadata":`;
      seenMeta = true;
      continue;
    }
    const v = JSON.stringify((obj as Record<string, unknown>)[k]);
    if (v === undefined) continue; // undefined, functions and symbols are left out
    const member = `${JSON.stringify(k)}:${v}`;
    if (!seenMeta) head += `${head.length > 1 ? ',' : ''}${member}`;
    else tail += `,${member}`;
  }
  const text = `${head}${metaJson}${tail}}`;
  const value = Buffer.from(text, 'utf8');
  return {
    value,
    withResourceVersion(rv) {
      if (rv === undefined) return value;
      const field = `"resourceVersion":${JSON.stringify(rv)}}`;
      const withRv = metaJson === '{}' ? `{${field}` : `${metaJson.slice(0, -1)},${field}`;
      return Buffer.from(`${head}${withRv}${tail}}`, 'utf8');
    },
  };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return (
    (proto === Object.prototype || proto === null) &&
    typeof (v as { toJSON?: unknown }).toJSON !== 'function'
  );
}
