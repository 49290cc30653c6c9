// What authorization costs a request. One plane; a user "bench-reader" (client certificate,
// bound to the view ClusterRole in one namespace) GETs one ConfigMap through the gateway in
// four set-ups, switched by restarting authz and the gateway with other flags:
//   allow        authz --authorization-mode=AlwaysAllow, gateway decision cache on
//   allow-nocache authz AlwaysAllow,                     gateway --authorization-cache=false
//   rbac         authz --authorization-mode=RBAC,        gateway decision cache on (default)
//   rbac-nocache authz RBAC,                             gateway --authorization-cache=false
// Latency: sequential GETs (p50/p99). Throughput: GETs/s with `--concurrency` in flight for
// `--seconds`. Rounds alternate the set-ups; tables give the median over rounds. Target:
// RBAC (with the cache) serves at least 90% of AlwaysAllow's GET throughput.
//   node test/dist/bench/authz.js [--gets 2000] [--seconds 5] [--concurrency 32] [--rounds 3]
//     [--modes allow,allow-nocache,rbac,rbac-nocache]
import { readFile } from 'node:fs/promises';
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
    seconds: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '32' },
    rounds: { type: 'string', default: '3' },
    modes: { type: 'string', default: 'allow,allow-nocache,rbac,rbac-nocache' },
  },
});
const gets = Number(values.gets);
const seconds = Number(values.seconds);
const concurrency = Number(values.concurrency);
const rounds = Number(values.rounds);

type Mode = 'allow' | 'allow-nocache' | 'rbac' | 'rbac-nocache';
const ALL_MODES: readonly Mode[] = ['allow', 'allow-nocache', 'rbac', 'rbac-nocache'];
const MODES = values.modes.split(',').filter((m): m is Mode => (ALL_MODES as string[]).includes(m));
const AUTHZ_ARGS: Record<Mode, string[]> = {
  allow: ['--authorization-mode=AlwaysAllow'],
  'allow-nocache': ['--authorization-mode=AlwaysAllow'],
  rbac: ['--authorization-mode=RBAC'],
  'rbac-nocache': ['--authorization-mode=RBAC'],
};
const GATEWAY_ARGS: Record<Mode, string[]> = {
  allow: [],
  'allow-nocache': ['--authorization-cache=false'],
  rbac: [],
  'rbac-nocache': ['--authorization-cache=false'],
};
const NS = 'bench-authz';
const PATH = `/api/v1/namespaces/${NS}/configmaps/one`;

interface RoundResult {
  mode: Mode;
  round: number;
  latency: Summary;
  throughput: number;
}

console.log(
  `authz: ${gets} sequential GETs and ${seconds} s at ${concurrency} in flight per set-up, ${rounds} rounds\n${machineLine()}`,
);
const plane = await startPlane();
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
  const reader = await readerCredentials(plane);

  const results: RoundResult[] = [];
  const failures: string[] = [];
  for (let round = 1; round <= rounds; round++) {
    for (const mode of MODES) {
      try {
        await switchMode(plane, mode);
        const r = await measure(plane, reader, mode, round);
        results.push(r);
        console.log(
          `round ${round} ${mode}: p50 ${fmt(r.latency.p50)} ms, p99 ${fmt(r.latency.p99)} ms, ${fmt(r.throughput)} GET/s (${loadLine()})`,
        );
      } catch (err) {
        failures.push(`round ${round} ${mode}: ${String(err)}`);
        console.error(`FAILED round ${round} ${mode}: ${String(err)}`);
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

async function switchMode(p: Plane, mode: Mode) {
  const authz = p.processes.find((x) => x.name === 'authz');
  const gateway = p.processes.find((x) => x.name === 'gateway');
  if (!authz || !gateway) throw new Error('no authz or gateway process');
  await p.restartWithArgs(authz, AUTHZ_ARGS[mode]);
  await p.restartWithArgs(gateway, GATEWAY_ARGS[mode]);
}

async function measure(
  p: Plane,
  credentials: Credentials,
  mode: Mode,
  round: number,
): Promise<RoundResult> {
  const base = p.gateways[0]!;
  const agent = newAgent(credentials, concurrency, 4_000);
  try {
    // RBAC (re)syncs after the restart: wait until the reader is allowed.
    await waitUntil(`${mode}: reader allowed`, 60_000, async () => {
      const cm = await callJson(agent, base, 'GET', PATH);
      return cm.metadata?.name === 'one';
    });
    for (let i = 0; i < 200; i++) await call(agent, base, 'GET', PATH); // warm-up
    const times: number[] = [];
    for (let i = 0; i < gets; i++) {
      const t = process.hrtime.bigint();
      await call(agent, base, 'GET', PATH);
      times.push(msSince(t));
    }
    const end = Date.now() + seconds * 1000;
    let done = 0;
    const t0 = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (Date.now() < end) {
          await call(agent, base, 'GET', PATH);
          done++;
        }
      }),
    );
    return { mode, round, latency: summarize(times), throughput: done / (msSince(t0) / 1000) };
  } finally {
    agent.destroy();
  }
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
  const added = (m: Mode) => med(m, (r) => r.latency.p50) - med('allow', (r) => r.latency.p50);
  console.log(
    `\nadded p50 latency vs AlwaysAllow (cache on): RBAC+cache ${fmt(added('rbac'))} ms, RBAC no-cache ${fmt(added('rbac-nocache'))} ms, AlwaysAllow no-cache ${fmt(added('allow-nocache'))} ms`,
  );
  const ratio = med('rbac', (r) => r.throughput) / med('allow', (r) => r.throughput);
  console.log(
    `GET throughput RBAC / AlwaysAllow: ${Number.isFinite(ratio) ? `${(ratio * 100).toFixed(0)}%` : 'n/a'} (target >= 90%: ${Number.isFinite(ratio) ? (ratio >= 0.9 ? 'MET' : 'MISSED') : 'NOT MEASURED'})`,
  );
  const nc = med('rbac-nocache', (r) => r.throughput) / med('allow-nocache', (r) => r.throughput);
  if (Number.isFinite(nc))
    console.log(`without the cache, RBAC / AlwaysAllow: ${(nc * 100).toFixed(0)}%`);
  if (failures.length) {
    console.log(`\n${failures.length} failed measurement(s):\n${failures.join('\n')}`);
    process.exitCode = 1;
  }
}
