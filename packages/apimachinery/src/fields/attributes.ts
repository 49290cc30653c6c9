// The field set an object exposes to field selectors, as each kind's GetAttrs builds it in
// kube: metadata.name, metadata.namespace (namespaced kinds), then the selectable fields.
// Most are plain paths into the object; the exceptions below reproduce kube's conversions.
import type { FieldSet } from './selector.js';

/** The parts of a ResourceDefinition (@splitplane/scheme) this needs. */
export interface SelectableResource {
  group: string;
  kind: string;
  namespaced: boolean;
  selectableFields: readonly string[];
}

type Obj = Record<string, unknown>;
type Extractor = (obj: Obj) => string | undefined;

const at = (obj: unknown, path: string): unknown => {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as Obj)[part];
  }
  return cur;
};

/** Go's zero values, rendered as kube renders them (strconv/fmt). */
const str =
  (path: string): Extractor =>
  (o) =>
    stringify(at(o, path)) ?? '';
const int =
  (path: string): Extractor =>
  (o) =>
    stringify(at(o, path)) ?? '0';
const bool =
  (path: string): Extractor =>
  (o) =>
    stringify(at(o, path)) ?? 'false';

/** Per-kind exceptions, keyed "group/Kind". Returning undefined leaves the field out of the set. */
const special: Record<string, Record<string, Extractor>> = {
  '/Pod': {
    'spec.hostNetwork': bool('spec.hostNetwork'),
    // kube reads the primary IP from podIPs[0]; podIPs itself is accepted but never in the set.
    'status.podIP': (o) => {
      const ips = at(o, 'status.podIPs');
      const first = Array.isArray(ips) ? (ips[0] as Obj | undefined)?.ip : undefined;
      return typeof first === 'string' ? first : str('status.podIP')(o);
    },
    'status.podIPs': () => undefined,
  },
  '/Node': { 'spec.unschedulable': bool('spec.unschedulable') },
  '/Event': {
    // The component that reported it, falling back to the events.k8s.io reporting controller.
    source: (o) => str('source.component')(o) || str('reportingComponent')(o),
  },
  '/ReplicationController': { 'status.replicas': int('status.replicas') },
  'apps/ReplicaSet': { 'status.replicas': int('status.replicas') },
  // The selectable name says "successful"; the field is status.succeeded.
  'batch/Job': { 'status.successful': int('status.succeeded') },
};

export function fieldAttributes(def: SelectableResource, obj: Obj): FieldSet {
  const meta = (obj.metadata ?? {}) as Obj;
  const set: Record<string, string> = { 'metadata.name': stringify(meta.name) ?? '' };
  if (def.namespaced) set['metadata.namespace'] = stringify(meta.namespace) ?? '';
  const overrides = special[`${def.group}/${def.kind}`] ?? {};
  for (const field of def.selectableFields) {
    const value = (overrides[field] ?? str(field))(obj);
    if (value !== undefined) set[field] = value;
  }
  return set;
}

function stringify(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return undefined;
}
