// AdmissionRequest -> AdmissionAttributes. The objects are parsed when a plugin first reads
// them: many plugins look only at the resource and subresource (every plugin skips a
// pods/status update but PodSecurity's ephemeral-container check), and parsing both objects
// of every request was the largest cost of the admission service under writes.
import { newBadRequest } from '@splitplane/apimachinery';
import { type AdmissionRequest, UserInfo } from '@splitplane/proto';
import type { KubeObject } from '@splitplane/scheme';
import { OPERATIONS, type AdmissionAttributes, type Operation } from './chain/index.js';

export interface DecodedRequest {
  attributes: AdmissionAttributes;
  /** The object as the chain left it, or empty when no plugin read or replaced it or it is unchanged. */
  changedObject(): Buffer;
}

export function decodeRequest(request: AdmissionRequest): DecodedRequest {
  const operation = request.operation as Operation;
  if (!OPERATIONS.includes(operation))
    throw newBadRequest(`admission: unknown operation "${request.operation}"`);
  const attributes = {
    uid: request.uid,
    kind: request.kind ?? { group: '', version: '', kind: '' },
    resource: request.resource ?? { group: '', version: '', resource: '' },
    subresource: request.subresource,
    name: request.name,
    namespace: request.namespace,
    operation,
    user: request.user ?? UserInfo.fromPartial({}),
    dryRun: request.dryRun,
  } as AdmissionAttributes;
  const object = lazyJson<KubeObject>(attributes, 'object', request.object);
  lazyJson<KubeObject>(attributes, 'oldObject', request.oldObject);
  lazyJson<Record<string, unknown>>(attributes, 'options', request.options);
  return {
    attributes,
    changedObject() {
      if (!object.touched() || attributes.object === undefined) return Buffer.alloc(0);
      const after = Buffer.from(JSON.stringify(attributes.object));
      return after.equals(request.object) ? Buffer.alloc(0) : after;
    },
  };
}

/** Defines `target[key]` as the JSON in `bytes`, parsed on first read; assignments replace it. */
function lazyJson<T>(
  target: object,
  key: 'object' | 'oldObject' | 'options',
  bytes: Uint8Array,
): { touched(): boolean } {
  let state: { value: T | undefined } | undefined;
  Object.defineProperty(target, key, {
    enumerable: true,
    configurable: true,
    get: () => (state ??= { value: parseJson<T>(bytes, key) }).value,
    set: (value: T | undefined) => {
      state = { value };
    },
  });
  return { touched: () => state !== undefined };
}

function parseJson<T>(bytes: Uint8Array, what: string): T | undefined {
  if (bytes.length === 0) return undefined;
  try {
    return JSON.parse(
      Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'),
    ) as T;
  } catch (err) {
    throw newBadRequest(`admission: ${what} is not valid JSON`, err);
  }
}
