// The randomized watch-invariant test of issue #3 (DESIGN §4): concurrent writers churn
// configmaps over 3 namespaces while 50+ watchers with random start RVs and selectors watch
// through 2 gateways, NATS messages are dropped on purpose, and a watch-cache replica, a
// gateway, nats-server and etcd are each killed or restarted. Every watcher's events, per
// HTTP watch and across its resumes and relists, must equal what a kube watch with its filter
// derives from etcd's own history (recorded by an independent etcd watch).
//
// Run alone:  cd /work/main && npx tsc -b test && node --test test/dist/e2e/watch-invariants.test.js
// Knobs (env): WATCH_INVARIANT_SEED (replay a run), WATCH_INVARIANT_DROP (NATS drop fraction,
// default 0.02), WATCH_INVARIANT_WRITE_SECONDS (length of the churn, default 45),
// WATCH_INVARIANT_WINDOW_EVENTS (watch-cache --event-window-max-events, default 600; 0 = default).
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  checkWatcher,
  describeFilter,
  formatFailures,
  HistoryRecorder,
  KubeHttp,
  TransportError,
  Watcher,
  digestObject,
  type StartMode,
  type WatchFilter,
  type WatcherResult,
} from '../watch-check/index.js';
import { pick, seededRandom, Writer, type Random } from '../watch-check/writers.js';
import { startPlane, type Plane } from './plane.js';

const seed = Number(process.env.WATCH_INVARIANT_SEED ?? Date.now() % 2 ** 31);
const dropFraction = Number(process.env.WATCH_INVARIANT_DROP ?? 0.02);
const writeSeconds = Number(process.env.WATCH_INVARIANT_WRITE_SECONDS ?? 45);
// A small watch-cache event window, so that older start RVs and long outages meet 410s and
// the relist path is exercised too (0: the watch-cache's default window).
const windowEvents = Number(process.env.WATCH_INVARIANT_WINDOW_EVENTS ?? 600);
const NAMESPACES = ['wi-a', 'wi-b', 'wi-c'] as const;
const WRITERS = 8;
const PREFIX = '/registry/configmaps/';
const LABEL_SELECTORS = [
  'color=red',
  'color!=red',
  'color in (red,green)',
  'color notin (blue)',
  'tier',
  '!tier',
  'tier=a,color=blue',
  'writer=w1',
  'writer in (w2,w3),tier=b',
];

const log = (line: string) => console.log(`[watch-invariants] ${line}`);

function randomFilter(random: Random, i: number): WatchFilter {
  const f: WatchFilter = {};
  if (random() < 0.7) f.namespace = pick(random, NAMESPACES);
  if (i % 12 === 5) {
    // A single-object watch: names w<k>-<n> with small n exist early and are churned.
    f.fieldSelector = `metadata.name=w${Math.floor(random() * WRITERS)}-${Math.floor(random() * 4)}`;
    return f;
  }
  if (i % 12 === 9) f.fieldSelector = `metadata.namespace!=${pick(random, NAMESPACES)}`;
  if (random() < 0.75) f.labelSelector = pick(random, LABEL_SELECTORS);
  return f;
}

describe('watch invariants under load and failures', { timeout: 600_000 }, () => {
  let plane: Plane | undefined;
  let recorder: HistoryRecorder | undefined;
  let http: KubeHttp | undefined;
  const watchers: Watcher[] = [];
  const writers: Writer[] = [];

  after(async () => {
    await Promise.all(writers.map((w) => w.stop()));
    await Promise.all(watchers.map((w) => w.stop()));
    http?.close();
    await recorder?.stop();
    await plane?.stop();
  });

  it('every watcher sees exactly the etcd history for its filter, across resumes and relists', async () => {
    log(
      `seed=${seed} dropFraction=${dropFraction} writeSeconds=${writeSeconds} windowEvents=${windowEvents}`,
    );
    const random = seededRandom(seed);
    plane = await startPlane({
      watchCacheReplicas: 2,
      gatewayReplicas: 2,
      // Fault injection: each gateway's feed drops this fraction of NATS messages.
      gatewayArgs: dropFraction > 0 ? [`--testing-nats-drop-fraction=${dropFraction}`] : [],
      watchCacheArgs: windowEvents > 0 ? [`--event-window-max-events=${windowEvents}`] : [],
    });
    const p = plane;
    log(`NATS message drop on the gateways: ${await dropFlagActive(p, dropFraction)}`);
    http = new KubeHttp([...p.gateways], p.tls);
    const kube = http;
    for (const ns of NAMESPACES) {
      const r = await kube.request('POST', '/api/v1/namespaces', {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: ns },
      });
      assert.ok(r.status === 201 || r.status === 409, `namespace ${ns}: ${r.status}`);
    }
    recorder = await HistoryRecorder.start([p.etcdUrl], PREFIX);
    const rec = recorder;
    const history = rec.history;

    for (let i = 0; i < WRITERS; i++) {
      const w = new Writer(`w${i}`, kube, NAMESPACES, seededRandom(seed + 1 + i));
      writers.push(w);
      w.start();
    }

    const filters = new Map<string, WatchFilter>();
    const startWatcher = async (): Promise<void> => {
      const i = watchers.length;
      const filter = randomFilter(random, i);
      const r = random();
      let start: StartMode;
      if (r < 0.12) start = { kind: 'unset' };
      else if (r < 0.24) start = { kind: 'zero' };
      else if (r < 0.34) {
        // A watch-list (sendInitialEvents=true), consistent or not older than a seen RV.
        const rv = random() < 0.5 ? undefined : history.throughRv;
        start = rv === undefined ? { kind: 'watchlist' } : { kind: 'watchlist', rv };
      } else if (r < 0.65) {
        // A recent list RV, as a reflector gets it; the list itself is checked too.
        const listed = await listOnce(kube, filter);
        start = listed ? { kind: 'exact', rv: listed.rv, list: listed } : { kind: 'unset' };
      } else {
        // An older RV from the recorded history (or its start).
        const cs = history.changes;
        const rv = cs.length ? cs[Math.floor(random() * cs.length)]!.rv : history.startRv;
        start = { kind: 'exact', rv };
      }
      const id = `#${i}`;
      filters.set(id, filter);
      const w = new Watcher(
        { id, filter, start, gateway: i % p.gateways.length, timeoutSeconds: [8, 30] },
        kube,
        { etcdRevision: () => rec.etcdRevision(), apiPrefix: '/api/v1', resource: 'configmaps' },
      );
      watchers.push(w);
      w.start();
    };
    const startWatchers = async (n: number) => {
      for (let k = 0; k < n; k++) await startWatcher();
    };

    // The churn, with a failure every few seconds and new watchers after each.
    const phase = Math.max(3_000, (writeSeconds * 1000) / 9);
    await startWatchers(20);
    await sleep(phase);
    await startWatchers(10);
    const has = (name: string) => p.components.includes(name);
    const disrupt = async (what: string, fn: () => Promise<void>) => {
      const t0 = Date.now();
      await fn();
      log(`${what} (${Date.now() - t0} ms) at etcd rv ${history.throughRv}`);
      await sleep(phase);
    };
    const watchCache = has('watch-cache-1') ? 'watch-cache-1' : 'watch-cache';
    const gateway = has('gateway-1') ? 'gateway-1' : undefined;
    await disrupt(`killed ${watchCache}`, () => p.kill(watchCache));
    await disrupt(`restarted ${watchCache}`, () => p.restart(watchCache));
    await startWatchers(8);
    if (gateway) {
      await disrupt(`killed ${gateway}`, () => p.kill(gateway));
      await startWatchers(6);
      await disrupt(`restarted ${gateway}`, () => p.restart(gateway));
    }
    await disrupt('restarted nats', () => p.restart('nats'));
    await startWatchers(6);
    await disrupt('restarted etcd', () => p.restart('etcd'));
    await startWatchers(4);
    await sleep(phase);

    await Promise.all(writers.map((w) => w.stop()));
    const finalRv = await rec.etcdRevision();
    await rec.waitThrough(finalRv, 60_000);
    if (rec.failure) throw rec.failure;
    log(`writers stopped at etcd rv ${finalRv}; ${history.changes.length} changes recorded`);

    // Every watcher must catch up with the end of the history (bounded wait).
    // Bookmarks may run ahead of the recorder's last event: let it confirm their RVs first.
    const confirmPositions = async () => {
      const top = Math.max(0, ...watchers.map((w) => w.position() ?? 0));
      await rec.waitThrough(top, 30_000);
    };
    const caughtUpBy = Date.now() + 90_000;
    let results: WatcherResult[] = [];
    for (;;) {
      await confirmPositions();
      results = watchers.map((w) =>
        checkWatcher({ id: w.spec.id, filter: w.spec.filter, segments: w.segments }, history),
      );
      // Broken watchers may never catch up: wait for the others only.
      const broken = (r: WatcherResult) => !r.ok && !r.pending;
      if (results.every((r) => (r.caughtUp && !r.pending) || broken(r))) break;
      if (Date.now() > caughtUpBy) break;
      await sleep(500);
    }
    await Promise.all(watchers.map((w) => w.stop()));
    await confirmPositions();
    results = watchers.map((w) =>
      checkWatcher({ id: w.spec.id, filter: w.spec.filter, segments: w.segments }, history, {
        requireCaughtUp: true,
      }),
    );

    const stats = summarize(watchers, writers, results, rec);
    log(stats.text);
    const failed = watchers.filter((w) => results.some((r) => r.id === w.spec.id && !r.ok));
    if (failed.length) {
      // Everything needed to replay the check offline: the history and the failing watchers.
      const dump = join(tmpdir(), `watch-invariants-${seed}.json`);
      await writeFile(
        dump,
        JSON.stringify({
          seed,
          history,
          watchers: failed.map((w) => ({ spec: w.spec, segments: w.segments })),
        }),
      );
      log(`failing watchers and the history written to ${dump}`);
    }
    const badErrors = stats.errorEvents.filter((e) => !/^(410|504|503|429) /.test(e));
    const failures = formatFailures(results, filters);
    assert.equal(
      failures,
      '',
      `seed=${seed}: watchers diverged from the etcd history:\n${failures}\n` +
        watchers
          .filter((w) => results.find((r) => r.id === w.spec.id && !r.ok))
          .map(
            (w) =>
              `  ${w.spec.id}: ${describeFilter(w.spec.filter)} start=${JSON.stringify({ ...w.spec.start, list: undefined })}`,
          )
          .join('\n'),
    );
    assert.deepEqual(
      badErrors,
      [],
      `seed=${seed}: watch streams ended with unexpected ERROR events`,
    );
    assert.ok(
      stats.checked > 0 && history.changes.length > 100,
      'the run did too little to mean anything',
    );
  });
});

/** Whether the gateways really run with the fault-injection flag (read from their command lines). */
async function dropFlagActive(p: Plane, fraction: number): Promise<string> {
  if (!(fraction > 0)) return 'off (not asked for)';
  const state = JSON.parse(await readFile(join(p.dataDir, 'state.json'), 'utf8')) as {
    processes: { name: string; pid: number }[];
  };
  const flags = await Promise.all(
    state.processes
      .filter((x) => x.name.startsWith('gateway'))
      .map(async (x) => {
        const cmd = await readFile(`/proc/${x.pid}/cmdline`, 'utf8').catch(() => '');
        return cmd.split('\0').find((a) => a.startsWith('--testing-nats-drop-fraction'));
      }),
  );
  return flags.every(Boolean)
    ? `on (${flags.join(' ')})`
    : 'NOT ACTIVE: the gateways run without --testing-nats-drop-fraction';
}

async function listOnce(
  kube: KubeHttp,
  filter: WatchFilter,
): Promise<{ rv: number; items: ReturnType<typeof digestObject>[] } | undefined> {
  const q = new URLSearchParams();
  if (filter.labelSelector) q.set('labelSelector', filter.labelSelector);
  if (filter.fieldSelector) q.set('fieldSelector', filter.fieldSelector);
  const ns = filter.namespace === undefined ? '' : `/namespaces/${filter.namespace}`;
  try {
    const r = await kube.request('GET', `/api/v1${ns}/configmaps?${q.toString()}`);
    if (r.status !== 200) return undefined;
    return {
      rv: Number(r.body.metadata.resourceVersion),
      items: (r.body.items as unknown[]).map(digestObject),
    };
  } catch (err) {
    if (err instanceof TransportError) return undefined;
    throw err;
  }
}

function summarize(
  watchers: Watcher[],
  writers: Writer[],
  results: WatcherResult[],
  rec: HistoryRecorder,
) {
  const count = { segments: 0, clean: 0, transport: 0, gone: 0, error: 0, events: 0, bookmarks: 0 };
  const errorEvents: string[] = [];
  const gateways = new Map<string, number>();
  for (const w of watchers) {
    for (const s of w.segments) {
      count.segments++;
      gateways.set(s.gateway, (gateways.get(s.gateway) ?? 0) + 1);
      count.bookmarks += s.events.filter((e) => e.type === 'BOOKMARK').length;
      const end = s.end;
      if (end?.kind === 'clean') count.clean++;
      if (end?.kind === 'transport') count.transport++;
      if (end?.kind === 'gone') count.gone++;
      if (end?.kind === 'error') {
        count.error++;
        errorEvents.push(`${end.code} ${end.detail}`);
      }
    }
  }
  const checked = results.reduce((n, r) => n + r.checked, 0);
  const w = writers.reduce(
    (a, x) => ({
      creates: a.creates + x.stats.creates,
      updates: a.updates + x.stats.updates,
      deletes: a.deletes + x.stats.deletes,
      failed: a.failed + x.stats.failed,
    }),
    { creates: 0, updates: 0, deletes: 0, failed: 0 },
  );
  const relists = watchers.reduce((n, x) => n + x.relists, 0);
  const text =
    `writes ok=${w.creates + w.updates + w.deletes} (create ${w.creates}, update ${w.updates}, delete ${w.deletes}) failed=${w.failed}; ` +
    `history ${rec.history.changes.length} changes (${rec.history.startRv}..${rec.history.throughRv}), recorder resumes ${rec.resumes}; ` +
    `watchers ${watchers.length}, events checked ${checked}, bookmarks ${count.bookmarks}; ` +
    `segments ${count.segments} (clean ends ${count.clean}, broken ${count.transport}, 410s ${count.gone}, other errors ${count.error}), relists ${relists}; ` +
    `segments per gateway ${[...gateways].map(([g, n]) => `${g}=${n}`).join(' ')}; ` +
    `failed watchers ${results.filter((r) => !r.ok).length}` +
    (errorEvents.length ? `; error ends: ${errorEvents.slice(0, 10).join(' | ')}` : '');
  return { text, checked, errorEvents };
}
