// LIST 5,000 realistic pods through the gateway, from the watch-cache's memory versus
// straight from etcd (the watch-cache restarted with kube's --watch-cache=false), as one
// full JSON list and as pages of ?limit=500. Both modes read the same etcd data; rounds
// alternate the modes and the table gives the median over rounds. Target (issue #3): the
// cache at least 5x faster. The client drains timed bodies without concatenating or
// parsing them (the item counts are checked on untimed LISTs). A second table calls the
// watch-cache's StreamList RPC (what the gateway calls) directly, without the gateway: the component the issue is about.
//   node test/dist/bench/list-cache.js [--pods 5000] [--lists 30] [--rounds 3] [--page 500]
import { parseArgs } from 'node:util';
import { perOperation, snapshot } from './cpu.js';
import { callDrain, callJson, listMetaOf, newAgent } from './lib/client.js';
import { gatewayGrpcCredentials, grpcLister } from './lib/grpc-list.js';
import { loadLine, machineLine } from './lib/machine.js';
import { flagOf, startPlane, waitUntil, type Plane } from './lib/plane.js';
import { createNamespaces, seedPods } from './lib/seed.js';
import { fmt, median, msSince, summarize, table, type Summary } from './lib/stats.js';

const { values } = parseArgs({
  options: {
    pods: { type: 'string', default: '5000' },
    lists: { type: 'string', default: '30' },
    rounds: { type: 'string', default: '3' },
    page: { type: 'string', default: '500' },
  },
});
const pods = Number(values.pods);
const lists = Number(values.lists);
const rounds = Number(values.rounds);
const pageSize = Number(values.page);
const namespaces = Array.from({ length: 10 }, (_, i) => `bench-${i}`);

type Mode = 'cache' | 'etcd';
const MODE_ARGS: Record<Mode, string[]> = { cache: [], etcd: ['--watch-cache=false'] };
interface RoundResult {
  mode: Mode;
  round: number;
  full: Summary;
  paged: Summary;
  page: Summary;
  cpu: string;
  grpc: Summary;
  grpcCpu: string;
}

console.log(
  `list-cache: ${pods} pods, ${lists} LISTs per mode per round, ${rounds} rounds\n${machineLine()}`,
);
const plane = await startPlane();
try {
  const agent = newAgent(plane.credentials, 8);
  const base = plane.gateways[0]!;
  await createNamespaces(agent, base, namespaces);
  const t0 = process.hrtime.bigint();
  await seedPods(agent, plane.gateways, {
    namespaces,
    nodes: 100,
    from: 0,
    to: pods,
    inFlight: 16,
  });
  console.log(`seeded ${pods} pods (create + status) in ${(msSince(t0) / 1000).toFixed(1)} s`);

  const results: RoundResult[] = [];
  let mode: Mode = 'cache';
  const failures: string[] = [];
  for (let round = 1; round <= rounds; round++) {
    for (const want of ['cache', 'etcd'] as const) {
      try {
        if (want !== mode || round > 1) await switchMode(plane, want);
        mode = want;
        results.push(await measure(plane, want, round));
        const r = results.at(-1)!;
        console.log(
          `round ${round} ${want}: full p50 ${fmt(r.full.p50)} ms, paged p50 ${fmt(r.paged.p50)} ms (${loadLine()})`,
        );
      } catch (err) {
        failures.push(`round ${round} ${want}: ${String(err)}`);
        console.error(`FAILED round ${round} ${want}: ${String(err)}`);
        mode = 'cache';
        if (want === 'etcd') await switchMode(plane, 'cache').catch(() => undefined);
      }
    }
  }
  agent.destroy();
  report(results, failures);
} finally {
  await plane.stop();
}

async function switchMode(plane: Plane, mode: Mode) {
  for (const wc of plane.watchCaches()) await plane.restartWithArgs(wc, MODE_ARGS[mode]);
}

async function measure(plane: Plane, mode: Mode, round: number): Promise<RoundResult> {
  const agent = newAgent(plane.credentials, 2);
  const base = plane.gateways[0]!;
  try {
    // The restarted watch-cache must have every pod before we time anything.
    await waitUntil(`${mode} LIST of ${pods} pods`, 120_000, async () => {
      const list = await callJson(agent, base, 'GET', '/api/v1/pods');
      return list.items.length === pods;
    });
    await checkPaged(agent, base, mode);
    for (let i = 0; i < 3; i++) await callDrain(agent, base, '/api/v1/pods'); // warm-up
    const before = snapshot(plane.processes);
    const full: number[] = [];
    let bytes = 0;
    for (let i = 0; i < lists; i++) {
      const t = process.hrtime.bigint();
      bytes = (await callDrain(agent, base, '/api/v1/pods')).bytes;
      full.push(msSince(t));
    }
    const cpu = perOperation(before, snapshot(plane.processes), lists);
    if (round === 1)
      console.log(
        `LIST body ${(bytes / 2 ** 20).toFixed(1)} MiB, ${(bytes / pods).toFixed(0)} bytes of JSON per pod`,
      );
    const paged: number[] = [];
    const pages: number[] = [];
    for (let i = 0; i < lists; i++) {
      const t = process.hrtime.bigint();
      let token = '';
      let count = 0;
      do {
        const tp = process.hrtime.bigint();
        const { head } = await callDrain(agent, base, pagePath(token));
        pages.push(msSince(tp));
        count++;
        token = listMetaOf(head).continue ?? '';
      } while (token);
      paged.push(msSince(t));
      if (count !== Math.ceil(pods / pageSize))
        throw new Error(`paged LIST (${mode}) took ${count} pages for ${pods} pods`);
    }
    const grpc = await measureGrpc(plane, mode);
    return {
      mode,
      round,
      full: summarize(full),
      paged: summarize(paged),
      page: summarize(pages),
      cpu,
      ...grpc,
    };
  } finally {
    agent.destroy();
  }
}

// Function declarations (hoisted): the top-level await above runs before later consts.
function pagePath(token: string): string {
  return `/api/v1/pods?limit=${pageSize}${token ? `&continue=${encodeURIComponent(token)}` : ''}`;
}

/** One untimed paged LIST, parsed: every pod exactly once. */
async function checkPaged(agent: ReturnType<typeof newAgent>, base: string, mode: Mode) {
  const names = new Set<string>();
  let token = '';
  do {
    const page = await callJson(agent, base, 'GET', pagePath(token));
    for (const item of page.items) names.add(`${item.metadata.namespace}/${item.metadata.name}`);
    token = page.metadata?.continue ?? '';
  } while (token);
  if (names.size !== pods)
    throw new Error(`paged LIST (${mode}) returned ${names.size} pods, expected ${pods}`);
}

/** The watch-cache's StreamList RPC, called directly, `lists` times after a checked warm-up. */
async function measureGrpc(plane: Plane, mode: Mode): Promise<{ grpc: Summary; grpcCpu: string }> {
  const wc = plane.watchCaches()[0]!;
  const address = flagOf(wc.pid, 'listen-address');
  if (!address) throw new Error(`no --listen-address on ${wc.name}`);
  const lister = grpcLister(address, await gatewayGrpcCredentials(plane.dataDir));
  try {
    const count = await lister.count();
    if (count !== pods) throw new Error(`StreamList (${mode}) returned ${count} pods`);
    for (let i = 0; i < 3; i++) await lister.list();
    const before = snapshot(plane.processes);
    const times: number[] = [];
    for (let i = 0; i < lists; i++) {
      const t = process.hrtime.bigint();
      await lister.list();
      times.push(msSince(t));
    }
    return {
      grpc: summarize(times),
      grpcCpu: perOperation(before, snapshot(plane.processes), lists),
    };
  } finally {
    lister.close();
  }
}

function verdict(ratio: number): string {
  return Number.isFinite(ratio) ? (ratio >= 5 ? 'MET' : 'MISSED') : 'NOT MEASURED';
}

function report(results: RoundResult[], failures: string[]) {
  console.log(`\n## LIST ${pods} pods: cache vs etcd (${lists} sequential LISTs per round, ms)\n`);
  console.log(
    table(
      [
        'round',
        'mode',
        'full p50',
        'full p99',
        `paged (limit=${pageSize}) p50`,
        'paged p99',
        'one page p50',
        'one page p99',
      ],
      results.map((r) => [
        String(r.round),
        r.mode,
        r.full.p50,
        r.full.p99,
        r.paged.p50,
        r.paged.p99,
        r.page.p50,
        r.page.p99,
      ]),
    ),
  );
  const med = (mode: Mode, pick: (r: RoundResult) => number) =>
    median(results.filter((r) => r.mode === mode).map(pick));
  const rows: Array<[string, (r: RoundResult) => number]> = [
    ['full LIST p50', (r) => r.full.p50],
    ['full LIST p99', (r) => r.full.p99],
    [`paged LIST (limit=${pageSize}) p50`, (r) => r.paged.p50],
    [`paged LIST (limit=${pageSize}) p99`, (r) => r.paged.p99],
    ['one page p50', (r) => r.page.p50],
    ['one page p99', (r) => r.page.p99],
  ];
  console.log(`\n## Median over ${rounds} rounds (ms)\n`);
  console.log(
    table(
      ['measure', 'cache', 'etcd', 'etcd / cache'],
      rows.map(([name, pick]) => {
        const c = med('cache', pick);
        const e = med('etcd', pick);
        return [name, c, e, `${fmt(e / c)}x`];
      }),
    ),
  );
  console.log('\nCPU per full LIST by process (ms), last round of each mode:');
  for (const mode of ['cache', 'etcd'] as const) {
    const last = results.filter((r) => r.mode === mode).at(-1);
    if (last) console.log(`- ${mode}: ${last.cpu}`);
  }

  console.log(
    `\n## watch-cache StreamList RPC called directly (no gateway), ${pods} pods, median over ${rounds} rounds (ms)\n`,
  );
  console.log(
    table(
      ['measure', 'cache', 'etcd', 'etcd / cache'],
      (
        [
          ['StreamList p50', (r: RoundResult) => r.grpc.p50],
          ['StreamList p99', (r: RoundResult) => r.grpc.p99],
        ] as const
      ).map(([name, pick]) => {
        const c = med('cache', pick);
        const e = med('etcd', pick);
        return [name, c, e, `${fmt(e / c)}x`];
      }),
    ),
  );
  console.log('\nCPU per StreamList by process (ms), last round of each mode:');
  for (const mode of ['cache', 'etcd'] as const) {
    const last = results.filter((r) => r.mode === mode).at(-1);
    if (last) console.log(`- ${mode}: ${last.grpcCpu}`);
  }
  const grpcRatio = med('etcd', (r) => r.grpc.p50) / med('cache', (r) => r.grpc.p50);
  const ratio = med('etcd', (r) => r.full.p50) / med('cache', (r) => r.full.p50);
  console.log(
    `\ntarget cache >= 5x faster (full LIST p50): ${verdict(ratio)} (${fmt(ratio)}x); at the watch-cache (StreamList p50): ${verdict(grpcRatio)} (${fmt(grpcRatio)}x)`,
  );
  if (failures.length) {
    console.log(`\nFAILURES:\n${failures.map((f) => `- ${f}`).join('\n')}`);
    process.exitCode = 1;
  }
}
