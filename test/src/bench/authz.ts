// What authorization costs a request. One plane with two gateways: `gateway` keeps its
// decision cache (the default), `gateway-1` runs with --authorization-cache=false. A user
// "bench-reader" (client certificate, bound to the view ClusterRole in one namespace) GETs
// one ConfigMap. Each round restarts authz once per mode, AlwaysAllow then RBAC, and then
// measures both gateways interleaved in small blocks, so the machine's other load falls on
// cache and no-cache alike:
//   allow / allow-nocache   authz --authorization-mode=AlwaysAllow, gateway / gateway-1
//   rbac  / rbac-nocache    authz --authorization-mode=RBAC,        gateway / gateway-1
// Latency: sequential GETs (p50/p99). Throughput: GETs/s with `--concurrency` in flight, in
// alternating bursts. Tables give the median over rounds. Target: RBAC (with the cache)
// serves at least 90% of AlwaysAllow's GET throughput.
//   node test/dist/bench/authz.js [--gets 2000] [--seconds 6] [--concurrency 32] [--rounds 3]
import { readFile } from 'node:fs/promises';
import type { Agent } from 'node:https';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { issueClientCert } from '@splitplane/pki';
import { call, callJson, newAgent, type Credentials } from './lib/client.js';
import { loadLine, machineLine } from './lib/machine.js';
import { startPlane, waitUntil, type Plane } from './lib/plane.js';
import { fmt, median, msSince, summarize, table, type Summary } from './lib/stats.js';

const { values } = parseArgs({
  options: {
    gets: { type: 'string', default: '2000' },
    seconds: { type: 'string', default: '6' },
    concurrency: { type: 'string', default: '32' },
    rounds: { type: 'string', default: '3' },
  },
});
const gets = Number(values.gets);
const seconds = Number(values.seconds);
const concurrency = Number(values.concurrency);
const rounds = Number(values.rounds);
const BLOCK = 100; // sequential GETs per gateway before switching
const BURST_MS = 1_000; // throughput burst per gateway before switching

type AuthzMode = 'AlwaysAllow' | 'RBAC';
type Mode = 'allow' | 'allow-nocache' | 'rbac' | 'rbac-nocache';
const MODES: readonly Mode[] = ['allow', 'allow-nocache', 'rbac', 'rbac-nocache'];
const NS = 'bench-authz';
const PATH = `/api/v1/namespaces/${NS}/configmaps/one`;
const SSAR_PATH = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews';
const SSAR = JSON.stringify({
  apiVersion: 'authorization.k8s.io/v1',
  kind: 'SelfSubjectAccessReview',
  spec: { resourceAttributes: { namespace: NS, verb: 'get', resource: 'configmaps', name: 'one' } },
});

interface RoundResult {
  mode: Mode;
  round: number;
  latency: Summary;
  throughput: number;
}

console.log(
  `authz: ${gets} sequential GETs and ${seconds} s at ${concurrency} in flight per set-up, ${rounds} rounds\n${machineLine()}`,
);
const plane = await startPlane({ gatewayReplicas: 2 });
try {
  const admin = newAgent(plane.credentials, 4);
  const base = plane.gateways[0]!;
  await call(admin, base, 'POST', '/api/v1/namespaces', {
    body: JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } }),
  });
  await call(admin, base, 'POST', `/api/v1/namespaces/${NS}/configmaps`, {
    body: JSON.stringify({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'one' },
      data: { k: 'v' },
    }),
  });
  await call(
    admin,
    base,
    'POST',
    `/apis/rbac.authorization.k8s.io/v1/namespaces/${NS}/rolebindings`,
    {
      body: JSON.stringify({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: 'bench-reader' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'bench-reader' }],
      }),
    },
  );
  admin.destroy();
  const noCache = plane.processes.find((p) => p.name === 'gateway-1');
  if (!noCache) throw new Error('no gateway-1');
  await plane.restartWithArgs(noCache, ['--authorization-cache=false']);
  const reader = await readerCredentials(plane);

  const results: RoundResult[] = [];
  const failures: string[] = [];
  for (let round = 1; round <= rounds; round++) {
    for (const authzMode of ['AlwaysAllow', 'RBAC'] as const) {
      try {
        const [cached, uncached] = await measure(plane, reader, authzMode, round);
        for (const r of [cached, uncached]) {
          results.push(r);
          console.log(
            `round ${round} ${r.mode}: p50 ${fmt(r.latency.p50)} ms, p99 ${fmt(r.latency.p99)} ms, ${fmt(r.throughput)} GET/s (${loadLine()})`,
          );
        }
      } catch (err) {
        failures.push(`round ${round} ${authzMode}: ${String(err)}`);
        console.error(`FAILED round ${round} ${authzMode}: ${String(err)}`);
      }
    }
  }
  report(results, failures);
} finally {
  await plane.stop();
}

// Function declarations (hoisted): the top-level await above runs before later consts.
async function readerCredentials(p: Plane): Promise<Credentials> {
  const pki = join(p.dataDir, 'pki');
  const [certPem, keyPem] = await Promise.all([
    readFile(join(pki, 'ca.crt'), 'utf8'),
    readFile(join(pki, 'ca.key'), 'utf8'),
  ]);
  const pair = await issueClientCert({ certPem, keyPem }, { commonName: 'bench-reader' });
  return { ca: p.credentials.ca, cert: Buffer.from(pair.certPem), key: Buffer.from(pair.keyPem) };
}

/** Restarts authz in `authzMode`, then measures the cached and uncached gateways interleaved. */
async function measure(
  p: Plane,
  credentials: Credentials,
  authzMode: AuthzMode,
  round: number,
): Promise<[RoundResult, RoundResult]> {
  const authz = p.processes.find((x) => x.name === 'authz');
  if (!authz) throw new Error('no authz process');
  await p.restartWithArgs(authz, [`--authorization-mode=${authzMode}`]);
  const [cachedUrl, uncachedUrl] = p.gateways as [string, string];
  const agents = [
    newAgent(credentials, concurrency, 4_000),
    newAgent(credentials, concurrency, 4_000),
  ];
  const urls = [cachedUrl, uncachedUrl];
  try {
    for (const [i, url] of urls.entries()) {
      // authz restarted: wait until each gateway reaches it again (its gRPC channel may be
      // backing off) and RBAC has synced. A SelfSubjectAccessReview always asks authz; a GET
      // could be answered from the decision cache.
      await waitUntil(`${authzMode}: authz answers via ${url}`, 60_000, async () => {
        const review = await callJson(agents[i]!, url, 'POST', SSAR_PATH, { body: SSAR });
        return review.status?.allowed === true;
      });
      for (let n = 0; n < 300; n++) await call(agents[i]!, url, 'GET', PATH); // warm-up
    }
    const times: number[][] = [[], []];
    while (times[1]!.length < gets) {
      for (const i of [0, 1]) {
        for (let n = 0; n < BLOCK; n++) {
          const t = process.hrtime.bigint();
          await call(agents[i]!, urls[i]!, 'GET', PATH);
          times[i]!.push(msSince(t));
        }
      }
    }
    const done = [0, 0];
    const busyMs = [0, 0];
    const bursts = Math.max(1, Math.round((seconds * 1000) / BURST_MS));
    for (let b = 0; b < bursts; b++) {
      for (const i of [0, 1]) {
        const r = await burst(agents[i]!, urls[i]!);
        done[i]! += r.done;
        busyMs[i]! += r.ms;
      }
    }
    const modes: Mode[] =
      authzMode === 'RBAC' ? ['rbac', 'rbac-nocache'] : ['allow', 'allow-nocache'];
    const result = (i: number): RoundResult => ({
      mode: modes[i]!,
      round,
      latency: summarize(times[i]!),
      throughput: done[i]! / (busyMs[i]! / 1000),
    });
    return [result(0), result(1)];
  } finally {
    for (const a of agents) a.destroy();
  }
}

/** `concurrency` GET loops against one gateway for BURST_MS. */
async function burst(agent: Agent, url: string): Promise<{ done: number; ms: number }> {
  const end = Date.now() + BURST_MS;
  let done = 0;
  const t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < end) {
        await call(agent, url, 'GET', PATH);
        done++;
      }
    }),
  );
  return { done, ms: msSince(t0) };
}

function report(results: RoundResult[], failures: string[]) {
  const of = (mode: Mode) => results.filter((r) => r.mode === mode);
  const med = (mode: Mode, pick: (r: RoundResult) => number) => median(of(mode).map(pick));
  console.log(`\n## GET of one ConfigMap as a view-bound user (median of ${rounds} rounds)\n`);
  console.log(
    table(
      ['set-up', 'p50 ms', 'p99 ms', 'GET/s', 'rounds'],
      MODES.map((m) => [
        m,
        med(m, (r) => r.latency.p50),
        med(m, (r) => r.latency.p99),
        med(m, (r) => r.throughput),
        String(of(m).length),
      ]),
    ),
  );
  const p50 = (m: Mode) => med(m, (r) => r.latency.p50);
  console.log(
    `\nauthz round trip per GET (no-cache minus cache, p50): AlwaysAllow ${fmt(p50('allow-nocache') - p50('allow'))} ms, RBAC ${fmt(p50('rbac-nocache') - p50('rbac'))} ms`,
  );
  console.log(
    `RBAC minus AlwaysAllow (p50): with the cache ${fmt(p50('rbac') - p50('allow'))} ms, without ${fmt(p50('rbac-nocache') - p50('allow-nocache'))} ms`,
  );
  const ratio = med('rbac', (r) => r.throughput) / med('allow', (r) => r.throughput);
  console.log(
    `GET throughput RBAC / AlwaysAllow (cache on): ${Number.isFinite(ratio) ? `${(ratio * 100).toFixed(0)}%` : 'n/a'} (target >= 90%: ${Number.isFinite(ratio) ? (ratio >= 0.9 ? 'MET' : 'MISSED') : 'NOT MEASURED'})`,
  );
  const nc = med('rbac-nocache', (r) => r.throughput) / med('allow-nocache', (r) => r.throughput);
  if (Number.isFinite(nc))
    console.log(`without the cache, RBAC / AlwaysAllow: ${(nc * 100).toFixed(0)}%`);
  if (failures.length) {
    console.log(`\n${failures.length} failed measurement(s):\n${failures.join('\n')}`);
    process.exitCode = 1;
  }
}
