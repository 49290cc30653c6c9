// Watch fan-out: 2 gateways, 2 watch-cache replicas, 2,000 concurrent pod watches spread
// evenly over the gateways (most watch "their" node's pods, as kubelets do, some one
// namespace, a few everything), while writers create, update and delete realistic pods at
// 200/s. Latency is from a write's HTTP response to each matching watcher receiving its event
// (same process clock, matched by resourceVersion); every watcher must receive exactly the
// events of the writes its filter selects. etcd's open-watch gauges are sampled during the
// run. Targets (issue #3): p99 < 100 ms; etcd watches = watch-cache replicas.
//   node test/dist/bench/watch-fanout.js [--watchers 2000] [--rate 200] [--seconds 60] [--runs 3]
//     [--gateways 2] [--watch-caches 2] [--all-watchers 10] [--namespace-watchers 90]
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { snapshot } from './cpu.js';
import { call, callJson, newAgent, pool, resourceVersionOf } from './lib/client.js';
import { etcdWatchCounts, type EtcdWatchCounts } from './lib/etcd-metrics.js';
import { evaluate, type RunResult, type Watcher, type Write } from './lib/fanout-evaluate.js';
import { loadLine, machineLine } from './lib/machine.js';
import { podManifest } from './lib/pods.js';
import { startPlane } from './lib/plane.js';
import { createNamespaces, seedPods } from './lib/seed.js';
import { fmt, median, nowMs, table } from './lib/stats.js';
import { WatchStream } from './lib/watch-stream.js';

const { values } = parseArgs({
  options: {
    watchers: { type: 'string', default: '2000' },
    'all-watchers': { type: 'string', default: '10' },
    'namespace-watchers': { type: 'string', default: '90' },
    namespaces: { type: 'string', default: '10' },
    rate: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '60' },
    runs: { type: 'string', default: '3' },
    gateways: { type: 'string', default: '2' },
    'watch-caches': { type: 'string', default: '2' },
    'seed-pods': { type: 'string', default: '600' },
    'max-in-flight': { type: 'string', default: '64' },
    'drain-seconds': { type: 'string', default: '30' },
  },
});
const n = (k: keyof typeof values) => Number(values[k]);
const watcherCount = n('watchers');
const allWatchers = n('all-watchers');
const nsWatchers = n('namespace-watchers');
const nodeWatchers = watcherCount - allWatchers - nsWatchers;
const namespaces = Array.from({ length: n('namespaces') }, (_, i) => `fan-${i}`);
// One watcher per node, as one kubelet per node; writes pick a node at random.
const nodes = Math.max(1, nodeWatchers);
const rate = n('rate');
const writesPerRun = Math.round(rate * n('seconds'));

interface PodRef {
  name: string;
  namespace: string;
  node: string;
  seq: number;
}
console.log(
  `watch-fanout: ${watcherCount} watchers (${nodeWatchers} by node over ${nodes} nodes, ` +
    `${nsWatchers} by namespace over ${namespaces.length}, ${allWatchers} all pods), ` +
    `${rate} writes/s for ${values.seconds} s, ${values.runs} runs\n${machineLine()}`,
);
const plane = await startPlane({
  gatewayReplicas: n('gateways'),
  watchCacheReplicas: n('watch-caches'),
});
const problems: string[] = [];
const watchers: Watcher[] = [];
try {
  const wcCount = plane.watchCaches().length;
  console.log(`plane: ${plane.gateways.length} gateway(s), ${wcCount} watch-cache replica(s)`);
  if (plane.gateways.length !== n('gateways') || wcCount !== n('watch-caches')) {
    problems.push(
      `launcher started ${plane.gateways.length} gateways and ${wcCount} watch-caches, not ${values.gateways}/${values['watch-caches']}`,
    );
  }
  const writer = newAgent(plane.credentials, n('max-in-flight'), 4000);
  await createNamespaces(writer, plane.gateways[0]!, namespaces);
  // A population for updates and deletes to work on, written before the watches start.
  const seeded = n('seed-pods');
  await seedPods(writer, plane.gateways, { namespaces, nodes, from: 0, to: seeded, inFlight: 16 });
  const live: PodRef[] = Array.from({ length: seeded }, (_, seq) => ({
    name: `pod-${seq}`,
    namespace: namespaces[seq % namespaces.length]!,
    node: `node-${seq % nodes}`,
    seq,
  }));
  const list = await callJson(writer, plane.gateways[0]!, 'GET', '/api/v1/pods?limit=1');
  const startRv = String(list.metadata.resourceVersion);
  const etcdBefore = await etcdWatchCounts(plane.etcdUrl);
  console.log(
    `etcd before watchers: ${etcdBefore.watchers} watches on ${etcdBefore.streams} streams`,
  );

  // Open every watch from the same RV, spread evenly over the gateways.
  const perGateway = Math.ceil(watcherCount / plane.gateways.length);
  const agents = plane.gateways.map(() => newAgent(plane.credentials, perGateway + 8));
  for (let i = 0; i < watcherCount; i++) {
    const g = i % plane.gateways.length;
    const q = `watch=1&resourceVersion=${startRv}&timeoutSeconds=3600`;
    let w: Watcher;
    if (i < nodeWatchers) {
      const node = `node-${i}`;
      w = {
        kind: 'node',
        node,
        stream: new WatchStream(
          agents[g]!,
          plane.gateways[g]!,
          `/api/v1/pods?${q}&fieldSelector=${encodeURIComponent(`spec.nodeName=${node}`)}`,
        ),
      };
    } else if (i < nodeWatchers + nsWatchers) {
      const namespace = namespaces[(i - nodeWatchers) % namespaces.length]!;
      w = {
        kind: 'namespace',
        namespace,
        stream: new WatchStream(
          agents[g]!,
          plane.gateways[g]!,
          `/api/v1/namespaces/${namespace}/pods?${q}`,
        ),
      };
    } else {
      w = {
        kind: 'all',
        stream: new WatchStream(agents[g]!, plane.gateways[g]!, `/api/v1/pods?${q}`),
      };
    }
    watchers.push(w);
  }
  const t0 = nowMs();
  await pool(watchers.length, 50, (i) => watchers[i]!.stream.open());
  console.log(`opened ${watchers.length} watches in ${((nowMs() - t0) / 1000).toFixed(1)} s`);

  const allCount = watchers.filter((w) => w.kind === 'all').length;
  const nsCount = new Map<string, number>();
  const nodeCount = new Map<string, number>();
  for (const w of watchers) {
    if (w.namespace) nsCount.set(w.namespace, (nsCount.get(w.namespace) ?? 0) + 1);
    if (w.node) nodeCount.set(w.node, (nodeCount.get(w.node) ?? 0) + 1);
  }
  const fanOutOf = (w: Write) =>
    allCount + (nsCount.get(w.namespace) ?? 0) + (nodeCount.get(w.node) ?? 0);

  let seq = seeded;
  const results: RunResult[] = [];
  for (let run = 1; run <= n('runs'); run++) {
    const startIdx = watchers.map((w) => w.stream.arrivals.length);
    const writes: Write[] = [];
    const writeLatencies: number[] = [];
    let writeErrors = 0;
    let firstWriteError = '';
    let inFlight = 0;
    let expectedTotal = 0;
    const etcdSamples: EtcdWatchCounts[] = [];
    const sampler = setInterval(() => {
      etcdWatchCounts(plane.etcdUrl).then(
        (c) => etcdSamples.push(c),
        () => undefined,
      );
    }, 5000);
    const cpuBefore = snapshot(plane.processes);
    const phaseStart = nowMs();
    const write = async (k: number) => {
      const base = plane.gateways[k % plane.gateways.length]!;
      const op = (['create', 'update', 'delete'] as const)[k % 3]!;
      let pod: PodRef;
      let path: string;
      let method: string;
      let body: string;
      let contentType = 'application/json';
      if (op === 'create' || live.length === 0) {
        const s = seq++;
        pod = {
          name: `pod-${s}`,
          namespace: namespaces[s % namespaces.length]!,
          node: `node-${Math.floor(Math.random() * nodes)}`,
          seq: s,
        };
        method = 'POST';
        path = `/api/v1/namespaces/${pod.namespace}/pods`;
        body = JSON.stringify(podManifest({ ...pod, nodeName: pod.node }));
      } else {
        pod = live.splice(Math.floor(Math.random() * live.length), 1)[0]!;
        path = `/api/v1/namespaces/${pod.namespace}/pods/${pod.name}`;
        if (op === 'update') {
          method = 'PATCH';
          contentType = 'application/merge-patch+json';
          body = JSON.stringify({
            metadata: { annotations: { 'bench.splitplane.io/tick': String(k) } },
          });
        } else {
          method = 'DELETE';
          body = JSON.stringify({ apiVersion: 'v1', kind: 'DeleteOptions', gracePeriodSeconds: 0 });
        }
      }
      const sent = nowMs();
      try {
        const res = await call(writer, base, method, path, { body, contentType });
        const at = nowMs();
        writeLatencies.push(at - sent);
        const rv = Number(resourceVersionOf(res.toString('utf8')));
        const w: Write = {
          rv,
          name: pod.name,
          sent,
          at,
          namespace: pod.namespace,
          node: pod.node,
          op: method === 'POST' ? 'create' : op,
        };
        writes.push(w);
        expectedTotal += fanOutOf(w);
        if (method !== 'DELETE') live.push(pod);
      } catch (err) {
        writeErrors++;
        firstWriteError ||= String(err);
      }
    };
    // Open loop: write k is due at k/rate s; at most max-in-flight writes outstanding.
    const pending = new Set<Promise<void>>();
    for (let k = 0; k < writesPerRun; k++) {
      const due = phaseStart + (k * 1000) / rate;
      const wait = due - nowMs();
      if (wait > 0) await sleep(wait);
      while (inFlight >= n('max-in-flight')) await Promise.race(pending);
      inFlight++;
      const p: Promise<void> = write(k).finally(() => {
        inFlight--;
        pending.delete(p);
      });
      pending.add(p);
    }
    await Promise.all(pending);
    const writeSeconds = (nowMs() - phaseStart) / 1000;
    const cpuAfter = snapshot(plane.processes);
    const load = loadLine();
    // Drain: wait until every expected event arrived, or give up after drain-seconds.
    const receivedNow = () =>
      watchers.reduce((sum, w, i) => sum + w.stream.arrivals.length - startIdx[i]!, 0);
    const drainUntil = nowMs() + n('drain-seconds') * 1000;
    while (receivedNow() < expectedTotal && nowMs() < drainUntil) await sleep(200);
    await sleep(500); // let stragglers (duplicates, unexpected events) show up too
    clearInterval(sampler);
    etcdSamples.push(await etcdWatchCounts(plane.etcdUrl));
    if (firstWriteError)
      problems.push(`run ${run}: ${writeErrors} write errors, first: ${firstWriteError}`);
    results.push(
      evaluate(
        watchers,
        run,
        writes,
        startIdx,
        writeLatencies,
        writeErrors,
        writeSeconds,
        etcdSamples,
        cpuBefore,
        cpuAfter,
        load,
      ),
    );
    const r = results.at(-1)!;
    console.log(
      `run ${run}: ${r.writes} writes at ${fmt(r.achievedRate)}/s, events ${r.received}/${r.expected}, ` +
        `p50 ${fmt(r.latency.p50)} ms, p99 ${fmt(r.latency.p99)} ms, max ${fmt(r.latency.max)} ms (${load})`,
    );
  }
  const ended = watchers.filter((w) => w.stream.ended).length;
  const errored = watchers.filter((w) => w.stream.errors.length > 0);
  if (ended) problems.push(`${ended} watches ended before the benchmark closed them`);
  if (errored.length)
    problems.push(`${errored.length} watches got errors, first: ${errored[0]!.stream.errors[0]}`);
  report(results, wcCount);
  for (const w of watchers) w.stream.close();
  for (const a of agents) a.destroy();
  writer.destroy();
} catch (err) {
  problems.push(
    `benchmark failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
  );
} finally {
  for (const w of watchers) w.stream.close();
  await plane.stop();
  if (problems.length) {
    console.log(`\nPROBLEMS:\n${problems.map((p) => `- ${p}`).join('\n')}`);
    process.exitCode = 1;
  }
}

function report(results: RunResult[], wcCount: number) {
  console.log(
    `\n## Watch fan-out: ${watcherCount} watchers over ${plane.gateways.length} gateways, ${rate} writes/s\n`,
  );
  console.log(
    table(
      [
        'run',
        'writes',
        'writes/s',
        'write p50 ms',
        'event p50 ms',
        'event p99 ms',
        'event max ms',
        'events expected',
        'events received',
        'missing',
        'unexpected',
        'duplicates',
        'out of order',
        'etcd watches (max)',
        'etcd watch streams (max)',
      ],
      results.map((r) => [
        String(r.run),
        String(r.writes),
        r.achievedRate,
        r.writeLatency.p50,
        r.latency.p50,
        r.latency.p99,
        r.latency.max,
        String(r.expected),
        String(r.received),
        String(r.missing),
        String(r.unexpected),
        String(r.duplicates),
        String(r.outOfOrder),
        String(r.etcd.watchers),
        String(r.etcd.streams),
      ]),
    ),
  );
  const p50 = median(results.map((r) => r.latency.p50));
  const p99 = median(results.map((r) => r.latency.p99));
  console.log(
    `\nmedian over ${results.length} runs: event p50 ${fmt(p50)} ms, p99 ${fmt(p99)} ms, max ${fmt(median(results.map((r) => r.latency.max)))} ms`,
  );
  console.log(
    `events that arrived before their write's response (counted as 0 ms): ${results.map((r) => `${r.early}/${r.received}`).join(', ')}`,
  );
  console.log(
    `from the write's request being sent instead (includes the write itself): p50 ${fmt(median(results.map((r) => r.fromSent.p50)))} ms, p99 ${fmt(median(results.map((r) => r.fromSent.p99)))} ms; write p50 ${fmt(median(results.map((r) => r.writeLatency.p50)))} ms, p99 ${fmt(median(results.map((r) => r.writeLatency.p99)))} ms`,
  );
  console.log(
    `fan-out spread (first watcher to receive an event to each other one): p50 ${fmt(median(results.map((r) => r.spread.p50)))} ms, p99 ${fmt(median(results.map((r) => r.spread.p99)))} ms, max ${fmt(median(results.map((r) => r.spread.max)))} ms`,
  );
  console.log(`CPU during the write phase (% of one core; ${machineLine().split(';')[0]}):`);
  for (const r of results) console.log(`- run ${r.run}: ${r.cpu}; ${r.load}`);
  const exact = results.every(
    (r) =>
      r.missing === 0 &&
      r.unexpected === 0 &&
      r.duplicates === 0 &&
      r.outOfOrder === 0 &&
      r.expected === r.received,
  );
  const etcdMax = Math.max(...results.map((r) => r.etcd.watchers));
  console.log(`\ntarget every watcher gets exactly its events: ${exact ? 'MET' : 'MISSED'}`);
  console.log(`target p99 < 100 ms: ${p99 < 100 ? 'MET' : 'MISSED'} (${fmt(p99)} ms)`);
  console.log(
    `target etcd watches = watch-cache replicas (${wcCount}): ${etcdMax === wcCount ? 'MET' : 'MISSED'} (max ${etcdMax} during the runs)`,
  );
  if (!exact)
    problems.push(
      'some watchers missed events or got wrong, duplicate or out-of-order ones (see table)',
    );
}
