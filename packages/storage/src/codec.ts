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
