// Checks what watchers saw against the reference history: each segment (one HTTP watch)
// must be exactly the kube watch of its filter from where it started, through where it got,
// with no wrong, missing, repeated or reordered event; a relist must equal the reference
// state at its RV; a client's position never goes back; and at the end every watcher must
// have caught up. Failures name the watcher, its filter and the first divergence.
import {
  expectedEvents,
  formatDigest,
  lastRelevantRv,
  objectKey,
  sameDigest,
  stateAt,
  statesFrom,
  type History,
  type ObjectDigest,
  type WatchEventDigest,
} from './history.js';
import { describeFilter, type WatchFilter } from './selectors.js';
import { segmentPosition, type ObservedEvent, type Segment } from './watcher.js';

export interface SegmentResult {
  ok: boolean;
  /** Events (not bookmarks) compared. */
  checked: number;
  /** The RV through which this segment is known complete (Infinity: through the end). */
  coveredThrough: number | undefined;
  /** First divergence, human-readable. */
  problem?: string;
  /** It reaches past the reference history: check again once the recorder caught up. */
  pending?: boolean;
}

const fmtEvent = (e: WatchEventDigest | ObservedEvent | undefined) =>
  e === undefined ? '(nothing)' : `${e.type} rv=${e.rv} ${e.object ? formatDigest(e.object) : ''}`;

/** Compares observed events with the expected ones position by position. */
function compareSequence(
  observed: ObservedEvent[],
  expected: WatchEventDigest[],
  fromRv: number,
): { matched: number; problem?: string } {
  const n = Math.max(observed.length, expected.length);
  for (let i = 0; i < n; i++) {
    const got = observed[i];
    const want = expected[i];
    const same =
      got !== undefined &&
      want !== undefined &&
      got.type === want.type &&
      got.rv === want.rv &&
      got.object !== undefined &&
      sameDigest(got.object, want.object);
    if (same) continue;
    let kind = 'wrong event';
    if (got === undefined) kind = 'missing event';
    else if (want === undefined) kind = 'unexpected extra event';
    else if (got.rv <= fromRv) kind = `repeated event (rv at or before the start rv=${fromRv})`;
    else if (observed.slice(0, i).some((o) => o.rv === got.rv)) kind = 'repeated event';
    else if (i > 0 && got.rv <= observed[i - 1]!.rv) kind = 'rv not increasing';
    else if (got.rv !== want.rv && observed.slice(i + 1).some((o) => o.rv === want.rv))
      kind = 'reordered event';
    else if (got.rv > want.rv) kind = 'missing event';
    const around = observed
      .slice(Math.max(0, i - 2), i)
      .map((e) => `      saw ${fmtEvent(e)}`)
      .join('\n');
    return {
      matched: i,
      problem:
        `${kind} at event #${i}:\n` +
        `    expected ${fmtEvent(want)}\n` +
        `    got      ${fmtEvent(got)}` +
        (around ? `\n    just before:\n${around}` : ''),
    };
  }
  return { matched: n };
}

function bookmarkProblems(observed: ObservedEvent[]): string | undefined {
  let last = -Infinity;
  for (const e of observed) {
    if (e.type === 'BOOKMARK') {
      if (!(e.rv >= last)) return `bookmark rv=${e.rv} goes back behind rv=${last}`;
      last = e.rv;
    } else if (e.rv > last) last = e.rv;
  }
  return undefined;
}

function compareState(got: ObjectDigest[], want: Map<string, ObjectDigest>): string | undefined {
  const seen = new Map<string, ObjectDigest>();
  for (const o of got) {
    const k = objectKey(o);
    if (seen.has(k)) return `listed twice: ${formatDigest(o)}`;
    seen.set(k, o);
    const w = want.get(k);
    if (!w) return `listed but not in the reference state: ${formatDigest(o)}`;
    if (!sameDigest(o, w)) return `listed ${formatDigest(o)}\n    reference ${formatDigest(w)}`;
  }
  for (const [k, w] of want) {
    if (!seen.has(k)) return `missing from the list: ${formatDigest(w)}`;
  }
  return undefined;
}

function checkFrom(
  seg: Segment,
  history: History,
  filter: WatchFilter,
  fromRv: number,
): SegmentResult {
  const evs = seg.events.filter((e) => e.type !== 'BOOKMARK');
  const bm = bookmarkProblems(seg.events);
  let covered = fromRv;
  for (const e of seg.events) if (e.rv > covered) covered = e.rv;
  if (covered > history.throughRv) {
    return {
      ok: false,
      checked: 0,
      coveredThrough: covered,
      pending: true,
      problem: `segment reaches rv=${covered}, past the reference history (${history.throughRv})`,
    };
  }
  const expected = expectedEvents(history, filter, fromRv, covered);
  const cmp = compareSequence(evs, expected, fromRv);
  const problem = cmp.problem ?? bm;
  return {
    ok: problem === undefined,
    checked: evs.length,
    coveredThrough: covered,
    ...(problem === undefined ? {} : { problem }),
  };
}

/** An unset/0 watch: initial ADDED events of some snapshot S, then the events after S. */
function checkInitial(seg: Segment, history: History, filter: WatchFilter): SegmentResult {
  const evs = seg.events.filter((e) => e.type !== 'BOOKMARK');
  const lowest =
    seg.mode === 'unset'
      ? (seg.notBeforeRv ?? 0)
      : seg.mode === 'watchlist'
        ? (seg.fromRv ?? seg.notBeforeRv ?? 0)
        : 0;
  let best: { matched: number; problem: string } | undefined;
  for (const cls of statesFrom(history, filter, history.startRv)) {
    if (cls.untilRv - 1 < lowest) continue;
    const n = cls.state.size;
    const initial = evs.slice(0, n);
    let matched = 0;
    let problem: string | undefined;
    const keys = new Set<string>();
    for (const e of initial) {
      const want = e.object ? cls.state.get(objectKey(e.object)) : undefined;
      if (
        e.type !== 'ADDED' ||
        !want ||
        keys.has(objectKey(e.object!)) ||
        !sameDigest(e.object!, want)
      ) {
        problem =
          `initial event #${matched} is not in the snapshot at rv=${cls.fromRv}..${cls.untilRv - 1}: ` +
          `got ${fmtEvent(e)}; snapshot has ${formatDigest(e.object ? want : undefined)}`;
        break;
      }
      keys.add(objectKey(e.object!));
      matched++;
    }
    if (!problem) {
      if (initial.length < n) {
        // Cut during the initial events: what came is consistent with this snapshot.
        return { ok: true, checked: evs.length, coveredThrough: undefined };
      }
      // The live part: everything after the n initial events (bookmarks keep their place).
      let dropped = 0;
      const live = {
        ...seg,
        events: seg.events.filter((e) => e.type === 'BOOKMARK' || dropped++ >= n),
      };
      // Any S in the class gives the same events after it.
      const r = checkFrom(live, history, filter, cls.fromRv);
      if (r.ok) {
        // A snapshot equal to the last state is complete through the end of the history.
        const through = Number.isFinite(cls.untilRv) ? r.coveredThrough : Infinity;
        return { ok: true, checked: evs.length, coveredThrough: through };
      }
      problem = `after the initial ${n} events (snapshot rv=${cls.fromRv}..${cls.untilRv - 1}): ${r.problem}`;
      matched = n + 1;
    }
    if (!best || matched > best.matched) best = { matched, problem };
  }
  return {
    ok: false,
    checked: evs.length,
    coveredThrough: undefined,
    problem: `initial events match no snapshot at or after rv=${lowest}; closest: ${best?.problem ?? 'none'}`,
  };
}

/**
 * A watch-list: ADDED events of the state at some B not older than asked, a BOOKMARK at B
 * annotated k8s.io/initial-events-end, then the events after B.
 */
function checkWatchList(seg: Segment, history: History, filter: WatchFilter): SegmentResult {
  const k = seg.events.findIndex((e) => e.initialEnd);
  if (k < 0) {
    const live = seg.events.some((e) => e.type === 'MODIFIED' || e.type === 'DELETED');
    if (live) {
      return {
        ok: false,
        checked: 0,
        coveredThrough: undefined,
        problem: 'live events without an initial-events-end bookmark first',
      };
    }
    return checkInitial(seg, history, filter); // cut before the end of the initial events
  }
  const B = seg.events[k]!.rv;
  const atLeast = seg.fromRv ?? seg.notBeforeRv ?? 0;
  const fail = (problem: string): SegmentResult => ({
    ok: false,
    checked: 0,
    coveredThrough: undefined,
    problem,
  });
  if (B < atLeast) return fail(`initial-events-end bookmark rv=${B} is older than rv=${atLeast}`);
  if (B > history.throughRv) return fail(`initial-events-end rv=${B} is past the history`);
  const initial = seg.events.slice(0, k).filter((e) => e.type !== 'BOOKMARK');
  const notAdded = initial.find((e) => e.type !== 'ADDED');
  if (notAdded) return fail(`initial event is not ADDED: ${fmtEvent(notAdded)}`);
  const problem = compareState(
    initial.map((e) => e.object!),
    stateAt(history, filter, B),
  );
  if (problem) return fail(`initial events differ from the state at rv=${B}: ${problem}`);
  const r = checkFrom({ ...seg, events: seg.events.slice(k + 1) }, history, filter, B);
  return { ...r, checked: r.checked + initial.length };
}

export function checkSegment(seg: Segment, history: History, filter: WatchFilter): SegmentResult {
  if (seg.protocolErrors.length) {
    return { ok: false, checked: 0, coveredThrough: undefined, problem: seg.protocolErrors[0] };
  }
  if (seg.mode === 'watchlist') return checkWatchList(seg, history, filter);
  if (seg.mode !== 'exact') return checkInitial(seg, history, filter);
  if (seg.list) {
    const problem = compareState(seg.list.items, stateAt(history, filter, seg.list.rv));
    if (problem) {
      return {
        ok: false,
        checked: 0,
        coveredThrough: undefined,
        problem: `relist at rv=${seg.list.rv} differs from the reference: ${problem}`,
      };
    }
  }
  return checkFrom(seg, history, filter, seg.fromRv!);
}

export interface WatcherRecord {
  id: string;
  filter: WatchFilter;
  segments: Segment[];
}

export interface WatcherResult {
  id: string;
  ok: boolean;
  checked: number;
  caughtUp: boolean;
  coveredThrough: number | undefined;
  problems: string[];
  /** Some segment reaches past the reference history (not a verdict yet). */
  pending: boolean;
}

/** Checks all of one watcher's segments; `requireCaughtUp` also demands the final position. */
export function checkWatcher(
  w: WatcherRecord,
  history: History,
  opts: { requireCaughtUp?: boolean } = {},
): WatcherResult {
  const problems: string[] = [];
  let checked = 0;
  let prevPos: number | undefined;
  let covered: number | undefined;
  let pending = false;
  w.segments.forEach((seg, i) => {
    const where = `segment ${i} (${seg.mode}${seg.fromRv === undefined ? '' : ` from rv=${seg.fromRv}`}${seg.list ? ' after relist' : ''} via ${seg.gateway}, ended ${seg.end?.kind ?? 'open'})`;
    if (seg.mode === 'exact' && prevPos !== undefined && seg.fromRv! < prevPos) {
      problems.push(
        `${where}: time went backwards: starts at rv=${seg.fromRv} < rv=${prevPos} already seen`,
      );
    }
    const r = checkSegment(seg, history, w.filter);
    checked += r.checked;
    if (r.pending) pending = true;
    if (!r.ok) problems.push(`${where}: ${r.problem}`);
    const pos = segmentPosition(seg);
    if (pos !== undefined) prevPos = Math.max(prevPos ?? 0, pos);
    covered = r.coveredThrough ?? covered;
  });
  const last = w.segments[w.segments.length - 1];
  const from = last?.mode === 'exact' ? last.fromRv! : history.startRv;
  const need = lastRelevantRv(history, w.filter, from);
  const caughtUp = covered !== undefined && covered >= need;
  if (opts.requireCaughtUp && !caughtUp) {
    problems.push(
      `not caught up: complete through rv=${covered ?? 'nothing'}, the history needs rv=${need}`,
    );
  }
  return {
    id: w.id,
    ok: problems.length === 0,
    checked,
    caughtUp,
    coveredThrough: covered,
    problems,
    pending,
  };
}

export function formatFailures(
  results: WatcherResult[],
  filters: Map<string, WatchFilter>,
): string {
  return results
    .filter((r) => !r.ok)
    .map(
      (r) =>
        `watcher ${r.id} [${describeFilter(filters.get(r.id) ?? {})}]:\n  ` +
        r.problems.join('\n  '),
    )
    .join('\n');
}
