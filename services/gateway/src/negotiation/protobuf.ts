// The Kubernetes protobuf codec (packages/k8s-protobuf), behind a small interface so the
// rest of the gateway does not care whether it is loaded.
export interface ProtobufCodec {
  /** A `k8s\0`-enveloped message -> the object as Kubernetes JSON. */
  decodeObject(bytes: Uint8Array): Record<string, unknown>;
  /** A Kubernetes JSON object (with apiVersion and kind) -> `k8s\0`-enveloped bytes. */
  encodeObject(obj: Record<string, unknown>): Uint8Array;
  hasProtobufMessage(apiVersion: string, kind: string): boolean;
}

let codec: ProtobufCodec | undefined;
let loading: Promise<ProtobufCodec | undefined> | undefined;

/** Loads @splitplane/k8s-protobuf once; undefined if it is not installed/built. */
export function loadProtobufCodec(): Promise<ProtobufCodec | undefined> {
  loading ??= (async () => {
    const specifier = '@splitplane/k8s-protobuf';
    try {
      const mod = (await import(specifier)) as Partial<ProtobufCodec>;
      if (typeof mod.decodeObject === 'function' && typeof mod.encodeObject === 'function' && typeof mod.hasProtobufMessage === 'function') {
        codec = { decodeObject: mod.decodeObject, encodeObject: mod.encodeObject, hasProtobufMessage: mod.hasProtobufMessage };
      }
    } catch {
      codec = undefined;
    }
    return codec;
  })();
  return loading;
}

/** The codec if loaded (call loadProtobufCodec at startup). */
export function protobufCodec(): ProtobufCodec | undefined {
  return codec;
}
