// What admission adds to a pod create. Sequential POSTs of a Pod through the gateway, in
// four set-ups, each round measuring all four in turn:
//   none      admission runs no plugin (every plugin of the default chain disabled, so the
//             registry skips the admission calls altogether)
//   defaults  kube's default plugins
//   webhook   defaults + one ValidatingWebhookConfiguration whose webhook (a local HTTPS
//             server in this process) allows every pod create
//   policy    defaults + one ValidatingAdmissionPolicy (CEL) with a Deny binding
// Reports p50/p99 per set-up (median over rounds) and the latency added over `none`.
// No assertions: the figures go to docs/performance.md.
//   node test/dist/bench/admission.js [--creates 500] [--rounds 3] [--warmup 100]
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import {
  binding,
  coreRule,
  namespace,
  pod,
  policy,
  validating,
  webhook,
} from '../lib/admission-objects.js';
import { startWebhookServer } from '../lib/webhook-server.js';
import { call, HttpError, newAgent } from './lib/client.js';
import { loadLine, machineLine } from './lib/machine.js';
import { startPlane, waitUntil, type PlaneProcess } from './lib/plane.js';
import { fmt, median, msSince, summarize, table, type Summary } from './lib/stats.js';

const { values } = parseArgs({
  options: {
    creates: { type: 'string', default: '500' },
    rounds: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '100' },
  },
});
const creates = Number(values.creates);
const rounds = Number(values.rounds);
const warmup = Number(values.warmup);

type SetUp = 'none' | 'defaults' | 'webhook' | 'policy';
const SETUPS: readonly SetUp[] = ['none', 'defaults', 'webhook', 'policy'];
const NS = 'bench-admission';
const PODS = `/api/v1/namespaces/${NS}/pods`;
const VWC = '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations';
const VAP = '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies';
const VAPB = '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicybindings';
const PROPAGATION_MS = 60_000;

interface RoundResult {
  setup: SetUp;
  round: number;
  latency: Summary;
}

console.log(
  `admission: ${creates} sequential pod creates per set-up (after ${warmup} warm-up), ${rounds} rounds\n${machineLine()}`,
);
const plane = await startPlane();
const hooks = await startWebhookServer();
hooks.handle('/allow', () => ({ allowed: true }));
const agent = newAgent(plane.credentials, 1, 4_000);
const base = plane.gateways[0]!;
let seq = 0;
try {
  await call(agent, base, 'POST', '/api/v1/namespaces', { body: namespace(NS) });
  // The ServiceAccount plugin wants the namespace's default service account.
  await call(agent, base, 'POST', `/api/v1/namespaces/${NS}/serviceaccounts`, {
    body: JSON.stringify({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'default' },
    }),
  }).catch((err: unknown) => {
    if (!(err instanceof HttpError && err.status === 409)) throw err;
  });
  const admission = plane.processes.find((p) => p.name === 'admission');
  if (!admission) throw new Error('no admission process');
  const defaults = await chainPlugins(admission);
  console.log(`default chain: ${defaults.join(', ')}`);

  const results: RoundResult[] = [];
  const failures: string[] = [];
  for (let round = 1; round <= rounds; round++) {
    for (const setup of SETUPS) {
      try {
        await configure(setup, admission, defaults);
        for (let i = 0; i < warmup; i++) await createPod();
        const times: number[] = [];
        for (let i = 0; i < creates; i++) {
          const t = process.hrtime.bigint();
          await createPod();
          times.push(msSince(t));
        }
        const latency = summarize(times);
        results.push({ setup, round, latency });
        console.log(
          `round ${round} ${setup}: p50 ${fmt(latency.p50)} ms, p99 ${fmt(latency.p99)} ms (${loadLine()})`,
        );
      } catch (err) {
        failures.push(`round ${round} ${setup}: ${String(err)}`);
        console.error(`FAILED round ${round} ${setup}: ${String(err)}`);
      }
    }
    await unconfigure();
  }
  report(results, failures);
} finally {
  agent.destroy();
  await hooks.close();
  await plane.stop();
}

// Function declarations (hoisted): the top-level await above runs before later consts.
async function createPod(name = `p-${seq++}`): Promise<void> {
  await call(agent, base, 'POST', PODS, { body: pod(NS, name) });
}

/** The plugin names admission logged for its chain at start (`"plugins":[...]`). */
async function chainPlugins(proc: PlaneProcess): Promise<string[]> {
  const log = await readFile(proc.logFile, 'utf8');
  const all = [...log.matchAll(/"plugins":(\[[^\]]*\])/g)];
  const last = all.at(-1);
  if (!last) throw new Error(`admission logged no plugin list in ${proc.logFile}`);
  return JSON.parse(last[1]!) as string[];
}

async function configure(setup: SetUp, admission: PlaneProcess, defaults: string[]) {
  if (setup === 'none') {
    await plane.restartWithArgs(admission, [`--disable-admission-plugins=${defaults.join(',')}`]);
    await settle();
    return;
  }
  if (setup === 'defaults') {
    await plane.restartWithArgs(admission, []);
    await settle();
    return;
  }
  if (setup === 'webhook') {
    await call(agent, base, 'POST', VWC, {
      body: validating(
        'bench-allow',
        webhook(
          'allow.bench.example.com',
          { url: hooks.url('/allow'), caBundle: hooks.caBundle },
          {
            rules: [coreRule(['pods'])],
          },
        ),
      ),
    });
    // In effect once the webhook sees a create.
    await waitUntil('the webhook to be called', PROPAGATION_MS, async () => {
      const name = `probe-${seq++}`;
      await createPod(name);
      return hooks.receivedOn('/allow', name).length > 0;
    });
    return;
  }
  await call(agent, base, 'DELETE', `${VWC}/bench-allow`);
  await waitUntil('the webhook to be gone', PROPAGATION_MS, async () => {
    const name = `probe-${seq++}`;
    await createPod(name);
    return hooks.receivedOn('/allow', name).length === 0;
  });
  await call(agent, base, 'POST', VAP, {
    body: policy('bench.example.com', {
      failurePolicy: 'Fail',
      matchConstraints: {
        resourceRules: [
          { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] },
        ],
      },
      validations: [
        {
          expression:
            "!object.metadata.name.startsWith('denied-') && object.spec.containers.all(c, c.image != '')",
        },
      ],
    }),
  });
  await call(agent, base, 'POST', VAPB, {
    body: binding('bench-binding.example.com', {
      policyName: 'bench.example.com',
      validationActions: ['Deny'],
    }),
  });
  // In effect once it refuses a pod named denied-*.
  await waitUntil('the policy to refuse', PROPAGATION_MS, async () => {
    try {
      await createPod(`denied-${seq++}`);
      return false;
    } catch (err) {
      return err instanceof HttpError && err.status === 422;
    }
  });
}

async function unconfigure() {
  for (const path of [`${VAPB}/bench-binding.example.com`, `${VAP}/bench.example.com`]) {
    await call(agent, base, 'DELETE', path).catch(() => undefined);
  }
}

/** After an admission restart: the registry reaches it again (and re-reads what it handles). */
async function settle() {
  await waitUntil('pod creates through the new admission', PROPAGATION_MS, async () => {
    await createPod();
    return true;
  });
  // The registry refreshes which phases admission handles every 2 s; let it catch up.
  await new Promise((resolve) => setTimeout(resolve, 3_000));
}

function report(results: RoundResult[], failures: string[]) {
  const of = (s: SetUp) => results.filter((r) => r.setup === s);
  const med = (s: SetUp, pick: (r: RoundResult) => number) => median(of(s).map(pick));
  const p50none = med('none', (r) => r.latency.p50);
  const p99none = med('none', (r) => r.latency.p99);
  console.log(`\n## Pod create latency by admission set-up (median of ${rounds} rounds)\n`);
  console.log(
    table(
      ['set-up', 'p50 ms', 'p99 ms', 'added p50 ms', 'added p99 ms', 'rounds'],
      SETUPS.map((s) => [
        s,
        med(s, (r) => r.latency.p50),
        med(s, (r) => r.latency.p99),
        med(s, (r) => r.latency.p50) - p50none,
        med(s, (r) => r.latency.p99) - p99none,
        String(of(s).length),
      ]),
    ),
  );
  if (failures.length) {
    console.log(`\n${failures.length} failed measurement(s):\n${failures.join('\n')}`);
    process.exitCode = 1;
  }
}
