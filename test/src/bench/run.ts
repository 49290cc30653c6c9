// Benchmark v0: the whole path (TLS, gateway, authz, registry/watch-cache, etcd) with 64
// requests in flight, beside a raw etcd put/get baseline through the same etcd3 client the
// services use. Starts its own plane through the launcher unless --kubeconfig-dir points at
// a running one's data dir.
//   node test/dist/bench/run.js [--creates 4000] [--gets 8000] [--lists 400] [--in-flight 64]
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { Agent, request } from 'node:https';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { down, up } from '@splitplane/launcher';
import { createEtcdClient } from '@splitplane/storage';
import { perOperation, snapshot } from './cpu.js';
import { formatTable, runLoad, type LoadResult } from './load.js';

const { values } = parseArgs({
  options: {
    creates: { type: 'string', default: '4000' },
    gets: { type: 'string', default: '8000' },
    lists: { type: 'string', default: '400' },
    'in-flight': { type: 'string', default: '64' },
  },
});
const inFlight = Number(values['in-flight']);

const dataDir = await mkdtemp(join(tmpdir(), 'splitplane-bench-'));
const state = await up({ dataDir, securePort: 0, readyTimeoutMs: 60_000, log: () => undefined });
try {
  const [ca, cert, key] = await Promise.all(
    ['ca.crt', 'admin.crt', 'admin.key'].map((f) => readFile(join(dataDir, 'pki', f))),
  );
  const agent = new Agent({ keepAlive: true, maxSockets: inFlight, ca, cert, key });
  const base = `https://127.0.0.1:${state.ports.gateway}`;
  const call = (method: string, path: string, body?: string) =>
    new Promise<void>((resolve, reject) => {
      const req = request(
        `${base}${path}`,
        { method, agent, headers: body ? { 'Content-Type': 'application/json' } : {} },
        (res) => {
          res.resume();
          res.on('end', () =>
            res.statusCode! < 300
              ? resolve()
              : reject(new Error(`${method} ${path}: ${res.statusCode}`)),
          );
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const configMap = (ns: string, name: string) =>
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name, namespace: ns, labels: { bench: 'v0' } },
      data: { key: 'value'.repeat(20) },
    });

  await call(
    'POST',
    '/api/v1/namespaces',
    JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bench' } }),
  );
  await call(
    'POST',
    '/api/v1/namespaces',
    JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bench-list' } }),
  );
  // Warm connections and code paths.
  await runLoad('warm-up', 500, inFlight, (i) =>
    call('POST', '/api/v1/namespaces/bench/configmaps', configMap('bench', `warm-${i}`)),
  );

  const results: LoadResult[] = [];
  const cpu: string[] = [];
  // Runs a phase and records which process its CPU time went to.
  const phase = async (name: string, total: number, op: (i: number) => Promise<void>) => {
    const before = snapshot(state.processes);
    const result = await runLoad(name, total, inFlight, op);
    cpu.push(`- ${name}: ${perOperation(before, snapshot(state.processes), result.ops)}`);
    results.push(result);
  };
  await phase('create ConfigMap', Number(values.creates), (i) =>
    call('POST', '/api/v1/namespaces/bench/configmaps', configMap('bench', `cm-${i}`)),
  );
  await phase('GET one ConfigMap', Number(values.gets), (i) =>
    call('GET', `/api/v1/namespaces/bench/configmaps/cm-${i % 1000}`),
  );
  await runLoad('seed list', 500, inFlight, (i) =>
    call('POST', '/api/v1/namespaces/bench-list/configmaps', configMap('bench-list', `item-${i}`)),
  );
  await phase('LIST 500 ConfigMaps', Number(values.lists), () =>
    call('GET', '/api/v1/namespaces/bench-list/configmaps'),
  );
  agent.destroy();

  // Raw etcd baseline with the same client library and the same value size.
  const etcd = createEtcdClient({ servers: [`http://127.0.0.1:${state.ports.etcdClient}`] });
  const value = configMap('bench', 'x'.repeat(10));
  const etcdPut = await runLoad('raw etcd put', Number(values.creates), inFlight, (i) =>
    etcd
      .put(`/bench/raw/${i}`)
      .value(value)
      .exec()
      .then(() => undefined),
  );
  const etcdGet = await runLoad('raw etcd get', Number(values.gets), inFlight, (i) =>
    etcd
      .get(`/bench/raw/${i % 1000}`)
      .string()
      .then(() => undefined),
  );
  etcd.close();
  results.push(etcdPut, etcdGet);

  const creates = results[0]!;
  console.log(
    `\nsplitplane benchmark v0 — ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${inFlight} in flight, Node ${process.version}\n`,
  );
  console.log(formatTable(results));
  console.log(
    `\ncreates / raw etcd puts = ${((100 * creates.opsPerSecond) / etcdPut.opsPerSecond).toFixed(1)}%`,
  );
  console.log(`\nCPU per operation by process (ms):\n${cpu.join('\n')}`);
} finally {
  await down(dataDir);
  await rm(dataDir, { recursive: true, force: true });
}
