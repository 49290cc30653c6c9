// Re-runs the checker on a dump written by the watch-invariant test, and prints each failing
// watcher's segments around the first divergence with the reference events next to them:
//   node test/dist/watch-check/recheck.js /tmp/watch-invariants-<seed>.json [watcherId]
import { readFile } from 'node:fs/promises';
import { checkWatcher } from './checker.js';
import { expectedEvents, formatDigest, type History } from './history.js';
import { describeFilter } from './selectors.js';
import type { Segment, WatcherSpec } from './watcher.js';

interface Dump {
  seed: number;
  history: History;
  watchers: { spec: WatcherSpec; segments: Segment[] }[];
}

const [file, only] = process.argv.slice(2);
if (!file) {
  console.error('usage: recheck.js <dump.json> [watcherId]');
  process.exit(2);
}
const dump = JSON.parse(await readFile(file, 'utf8')) as Dump;
const h = dump.history;
console.log(`seed ${dump.seed}: history ${h.changes.length} changes, ${h.startRv}..${h.throughRv}`);
for (const w of dump.watchers) {
  if (only && w.spec.id !== only) continue;
  const r = checkWatcher({ id: w.spec.id, filter: w.spec.filter, segments: w.segments }, h, {
    requireCaughtUp: true,
  });
  const start = w.spec.start.kind === 'exact' ? `exact ${w.spec.start.rv}` : w.spec.start.kind;
  console.log(`\nwatcher ${w.spec.id} [${describeFilter(w.spec.filter)}] start=${start}`);
  w.segments.forEach((s, i) => {
    const evs = s.events.map((e) => `${e.type[0]}${e.rv}`);
    console.log(
      `  segment ${i}: ${s.mode}${s.fromRv === undefined ? '' : ` ${s.fromRv}`}${s.list ? ` (list of ${s.list.items.length})` : ''}` +
        `${s.notBeforeRv === undefined ? '' : ` notBefore=${s.notBeforeRv}`} via ${s.gateway} end=${JSON.stringify(s.end)}\n` +
        `    saw ${evs.length}: ${evs.slice(0, 40).join(' ')}${evs.length > 40 ? ' ...' : ''}`,
    );
    if (s.mode === 'exact') {
      const want = expectedEvents(h, w.spec.filter, s.fromRv!, h.throughRv).map(
        (e) => `${e.type[0]}${e.rv}`,
      );
      console.log(
        `    reference from ${s.fromRv}: ${want.slice(0, 40).join(' ')}${want.length > 40 ? ' ...' : ''}`,
      );
    }
  });
  console.log(r.ok ? '  OK' : `  ${r.problems.join('\n  ')}`);
  if (!r.ok && w.segments[0]?.mode !== 'exact') {
    const first = w.segments[0]!;
    const initial = first.events.filter((e) => e.type === 'ADDED').slice(0, 60);
    console.log(
      `  first segment's leading events:\n    ${initial.map((e) => formatDigest(e.object)).join('\n    ')}`,
    );
  }
}
