// The ground truth: a resource's etcd history (its state at a start revision, then every
// change in revision order), and what a kube watch with a given filter must deliver from it.
import { compileFilter, type Selectable, type WatchFilter } from './selectors.js';

/** The parts of an object that tell one version from another. */
export interface ObjectDigest extends Selectable {
  uid: string;
  /** metadata.resourceVersion as the event or list carries it. */
  rv: number;
  /** JSON of the object's `data`, to catch a right RV with wrong contents. */
  data: string;
}

export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface HistoryChange {
  type: ChangeType;
  rv: number;
  namespace: string;
  name: string;
  /** State after a put; for a delete, the last state (with rv = the delete's revision). */
  object: ObjectDigest;
  /** State before (MODIFIED and DELETED), with its own mod revision. */
  prev?: ObjectDigest;
}

export interface History {
  /** The state is known at this revision (the recorder's start). */
  startRv: number;
  initial: ObjectDigest[];
  /** Every change with rv > startRv, in revision order. */
  changes: HistoryChange[];
  /** History is complete through this revision. */
  throughRv: number;
}

/** A watch event as a client sees it (ADDED/MODIFIED/DELETED only). */
export interface WatchEventDigest {
  type: ChangeType;
  rv: number;
  object: ObjectDigest;
}

export const objectKey = (o: { namespace: string; name: string }) => `${o.namespace}/${o.name}`;

export function digestObject(obj: unknown): ObjectDigest {
  const o = obj as {
    metadata?: {
      namespace?: string;
      name?: string;
      uid?: string;
      resourceVersion?: string;
      labels?: Record<string, string>;
    };
    data?: unknown;
  };
  const m = o.metadata ?? {};
  return {
    namespace: m.namespace ?? '',
    name: m.name ?? '',
    uid: m.uid ?? '',
    rv: Number(m.resourceVersion ?? NaN),
    labels: { ...(m.labels ?? {}) },
    data: JSON.stringify(o.data ?? {}, Object.keys((o.data as object) ?? {}).sort()),
  };
}

/**
 * kube watch semantics over the history: every change with rv > fromRv that the filter
 * sees. A put that makes an object match is ADDED (even a MODIFIED in etcd), one that keeps
 * it matching is MODIFIED, one that makes it stop matching is DELETED carrying the previous
 * contents at the change's rv; a delete of a matching object is DELETED.
 */
export function expectedEvents(
  history: History,
  filter: WatchFilter,
  fromRv: number,
  throughRv = Infinity,
): WatchEventDigest[] {
  const matches = compileFilter(filter);
  const out: WatchEventDigest[] = [];
  for (const c of history.changes) {
    if (c.rv <= fromRv) continue;
    if (c.rv > throughRv) break;
    const ev = eventFor(c, matches);
    if (ev) out.push(ev);
  }
  return out;
}

function eventFor(
  c: HistoryChange,
  matches: (o: ObjectDigest) => boolean,
): WatchEventDigest | undefined {
  const before = c.prev !== undefined && matches(c.prev);
  if (c.type === 'DELETED') {
    return before ? { type: 'DELETED', rv: c.rv, object: c.object } : undefined;
  }
  const now = matches(c.object);
  if (now) return { type: before ? 'MODIFIED' : 'ADDED', rv: c.rv, object: c.object };
  if (before) return { type: 'DELETED', rv: c.rv, object: { ...c.prev!, rv: c.rv } };
  return undefined;
}

/** Whether a change is visible at all to the filter (it yields an event). */
export function changeMatters(c: HistoryChange, filter: WatchFilter): boolean {
  return eventFor(c, compileFilter(filter)) !== undefined;
}

/** The last revision at which a watcher with this filter must have received something. */
export function lastRelevantRv(history: History, filter: WatchFilter, fromRv: number): number {
  const evs = expectedEvents(history, filter, fromRv, history.throughRv);
  return evs.length ? evs[evs.length - 1]!.rv : fromRv;
}

/** The filtered state at `rv` (rv >= startRv), keyed by namespace/name. */
export function stateAt(
  history: History,
  filter: WatchFilter,
  rv: number,
): Map<string, ObjectDigest> {
  if (rv < history.startRv) {
    throw new Error(`watch-check: state at ${rv} is before the history's start ${history.startRv}`);
  }
  const all = new Map<string, ObjectDigest>();
  for (const o of history.initial) all.set(objectKey(o), o);
  for (const c of history.changes) {
    if (c.rv > rv) break;
    if (c.type === 'DELETED') all.delete(objectKey(c));
    else all.set(objectKey(c), c.object);
  }
  const matches = compileFilter(filter);
  return new Map([...all].filter(([, o]) => matches(o)));
}

/**
 * Each distinct filtered state from `minRv` on, with the revision range it holds for:
 * [fromRv, untilRv) — for checking a watch whose initial events came from an unknown
 * snapshot. Yields states lazily, oldest first.
 */
export function* statesFrom(
  history: History,
  filter: WatchFilter,
  minRv: number,
): Generator<{ fromRv: number; untilRv: number; state: Map<string, ObjectDigest> }> {
  const matches = compileFilter(filter);
  const start = Math.max(minRv, history.startRv);
  const state = stateAt(history, filter, start);
  let from = start;
  for (const c of history.changes) {
    if (c.rv <= start) continue;
    const ev = eventFor(c, matches);
    if (!ev) continue;
    yield { fromRv: from, untilRv: c.rv, state };
    if (ev.type === 'DELETED') state.delete(objectKey(c));
    else state.set(objectKey(c), ev.object);
    from = c.rv;
  }
  yield { fromRv: from, untilRv: Infinity, state };
}

export function sameDigest(a: ObjectDigest, b: ObjectDigest): boolean {
  return (
    a.namespace === b.namespace &&
    a.name === b.name &&
    a.uid === b.uid &&
    a.rv === b.rv &&
    a.data === b.data &&
    JSON.stringify(sortKeys(a.labels)) === JSON.stringify(sortKeys(b.labels))
  );
}

function sortKeys(r: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(r).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));
}

export function formatDigest(o: ObjectDigest | undefined): string {
  if (!o) return '(none)';
  const labels = Object.entries(sortKeys(o.labels))
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  return `${o.namespace}/${o.name} rv=${o.rv} uid=${o.uid.slice(0, 8)} labels{${labels}} data=${o.data}`;
}
