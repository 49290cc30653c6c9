// Resident memory of the watch-cache per cached pod: VmRSS of the watch-cache process after
// forced full GCs, empty, with 10,000 and with 20,000 realistic pods, then again after
// restarts (the replica relists all 20,000 from etcd, without the history of growth), and
// with --watch-cache=false as the no-cache baseline. Each figure is the median of several
// samples, each taken after its own forced GC.
//   node test/dist/bench/cache-memory.js [--pods 10000,20000] [--restarts 2] [--samples 5]
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { callJson, newAgent } from './lib/client.js';
import { FORCE_GC_NODE_ARGS, forceGc } from './lib/force-gc.js';
import { loadLine, machineLine, rssKiB } from './lib/machine.js';
import { startPlane, waitUntil, type Plane, type PlaneProcess } from './lib/plane.js';
import { createNamespaces, seedPods } from './lib/seed.js';
import { fmt, median, table } from './lib/stats.js';

const { values } = parseArgs({
  options: {
    pods: { type: 'string', default: '10000,20000' },
    restarts: { type: 'string', default: '2' },
    samples: { type: 'string', default: '5' },
  },
});
const steps = values.pods.split(',').map(Number);
const namespaces = Array.from({ length: 10 }, (_, i) => `mem-${i}`);

interface Point {
  label: string;
  pods: number;
  rssMiB: number;
  heapMiB: number;
}

console.log(`cache-memory: watch-cache RSS at ${steps.join(', ')} pods\n${machineLine()}`);
const plane = await startPlane({ nodeArgs: FORCE_GC_NODE_ARGS });
const points: Point[] = [];
const problems: string[] = [];
let podBytes = NaN;
try {
  const wc = plane.watchCaches()[0]!;
  const agent = newAgent(plane.credentials, 32);
  await createNamespaces(agent, plane.gateways[0]!, namespaces);
  points.push(await settle(plane, wc, 'empty', 0));
  let seeded = 0;
  for (const target of steps) {
    const t0 = Date.now();
    await seedPods(agent, plane.gateways, {
      namespaces,
      nodes: 500,
      from: seeded,
      to: target,
      inFlight: 32,
    });
    console.log(`seeded ${target - seeded} pods in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    seeded = target;
    points.push(await settle(plane, wc, `${target} pods`, target));
  }
  podBytes = await measurePodJson(plane, seeded);
  for (let r = 1; r <= Number(values.restarts); r++) {
    await plane.restartWithArgs(wc, []);
    points.push(await settle(plane, wc, `${seeded} pods, after restart ${r}`, seeded));
  }
  try {
    await plane.restartWithArgs(wc, ['--watch-cache=false']);
    points.push(await settle(plane, wc, `${seeded} pods in etcd, --watch-cache=false`, seeded));
  } catch (err) {
    problems.push(`no --watch-cache=false baseline: ${String(err).split('\n')[0]}`);
  }
  agent.destroy();
  report();
} catch (err) {
  problems.push(
    `benchmark failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
  );
} finally {
  await plane.stop();
  if (problems.length) {
    console.log(`\nPROBLEMS:\n${problems.map((p) => `- ${p}`).join('\n')}`);
    process.exitCode = 1;
  }
}

/** Waits until LISTs through the gateway see `pods` pods, then samples RSS after forced GCs. */
async function settle(plane: Plane, wc: PlaneProcess, label: string, pods: number): Promise<Point> {
  const agent = newAgent(plane.credentials, 1);
  try {
    // limit=1 and remainingItemCount: a full LIST would leave its own 60 MB of transient
    // buffers in the RSS we are about to read.
    await waitUntil(`a LIST of ${pods} pods`, 180_000, async () => {
      const list = await callJson(agent, plane.gateways[0]!, 'GET', '/api/v1/pods?limit=1');
      const count = list.items.length + Number(list.metadata?.remainingItemCount ?? 0);
      return count === pods;
    });
  } finally {
    agent.destroy();
  }
  await sleep(2000); // let the replica finish what the last writes started
  const rss: number[] = [];
  const heap: number[] = [];
  for (let i = 0; i < Number(values.samples); i++) {
    const usage = await forceGc(wc.pid, wc.logFile);
    await sleep(500);
    rss.push(rssKiB(wc.pid) / 1024);
    heap.push(usage.usedSize / 2 ** 20);
  }
  const point = { label, pods, rssMiB: median(rss), heapMiB: median(heap) };
  console.log(
    `${label}: RSS ${fmt(point.rssMiB)} MiB (samples ${rss.map((v) => fmt(v)).join(', ')}), ` +
      `V8 heap used ${fmt(point.heapMiB)} MiB (${loadLine()})`,
  );
  return point;
}

/** Average size of one pod's JSON as the API serves it. */
async function measurePodJson(plane: Plane, pods: number): Promise<number> {
  const agent = newAgent(plane.credentials, 1);
  try {
    const list = await callJson<{ items: unknown[] }>(
      agent,
      plane.gateways[0]!,
      'GET',
      '/api/v1/pods',
    );
    const bytes = list.items.reduce<number>(
      (sum, item) => sum + Buffer.byteLength(JSON.stringify(item)),
      0,
    );
    return bytes / pods;
  } finally {
    agent.destroy();
  }
}

function report() {
  console.log(
    `\n## watch-cache resident memory (median of ${values.samples} samples, each after a forced GC)\n`,
  );
  console.log(
    table(
      ['state', 'pods', 'RSS MiB', 'V8 heap used MiB'],
      points.map((p) => [p.label, String(p.pods), p.rssMiB, p.heapMiB]),
    ),
  );
  const empty = points[0]!;
  const top = Math.max(...steps);
  const grown = points.filter((p) => p.pods === top && !p.label.includes('watch-cache=false'));
  const topRss = median(grown.map((p) => p.rssMiB));
  const topHeap = median(grown.map((p) => p.heapMiB));
  const per10k = ((topRss - empty.rssMiB) * 10_000) / top;
  const perPod = ((topRss - empty.rssMiB) * 2 ** 20) / top;
  const heapPerPod = ((topHeap - empty.heapMiB) * 2 ** 20) / top;
  console.log(
    `\npod JSON as served: ${fmt(podBytes, 0)} bytes on average` +
      `\nRSS growth with ${top} pods (median of the ${grown.length} measurements at ${top}): ${fmt(topRss - empty.rssMiB)} MiB` +
      `\n=> ${fmt(per10k)} MiB per 10,000 pods, ${fmt(perPod, 0)} bytes per pod (${fmt(perPod / podBytes)}x its JSON);` +
      ` V8 heap ${fmt(heapPerPod, 0)} bytes per pod`,
  );
  const etcdMode = points.find((p) => p.label.includes('watch-cache=false'));
  if (etcdMode) {
    const overEtcd = ((topRss - etcdMode.rssMiB) * 2 ** 20) / top;
    console.log(
      `--watch-cache=false with ${top} pods in etcd: RSS ${fmt(etcdMode.rssMiB)} MiB; ` +
        `the cache over that baseline: ${fmt((overEtcd * 10_000) / 2 ** 20)} MiB per 10,000 pods, ${fmt(overEtcd, 0)} bytes per pod`,
    );
    if (overEtcd < podBytes / 2) {
      problems.push(
        `with the cache the replica holds only ${fmt(overEtcd, 0)} bytes per pod more than with --watch-cache=false, ` +
          `less than half a pod's JSON: it does not seem to cache pods yet`,
      );
    }
  }
}
