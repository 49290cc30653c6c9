// kube's DeepCopy for our objects, which are plain JSON values (parsed from a body or from
// etcd). Nine times faster than structuredClone on a pod (1.5 against 13.8 us), which
// serializes through V8's value serializer; the write path copies objects several times.

/** A deep copy of a JSON value (objects, arrays, strings, numbers, booleans, null). */
export function deepCopyJson<T>(value: T): T {
  return copy(value) as T;
}

function copy(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = copy(value[i]);
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const v = copy((value as Record<string, unknown>)[key]);
    // JSON.parse makes "__proto__" an own key; assigning it would set the prototype instead.
    if (key === '__proto__')
      Object.defineProperty(out, key, {
        value: v,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    else out[key] = v;
  }
  return out;
}
