// Runs the whole control plane through the launcher, as a user would with `splitplane up`,
// on free ports in a temp dir; talks to it with kubectl and with raw HTTPS; and crashes and
// restarts any of its processes for failure tests.
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { down, killComponent, restartComponent, up } from '@splitplane/launcher';
import { kubectl, type KubectlResult } from '@splitplane/testing';

export interface HttpResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json<T = any>(): T;
}

export interface RequestOptions {
  body?: string | Buffer;
  headers?: Record<string, string>;
  /** Send no client certificate. */
  anonymous?: boolean;
  /** Which gateway replica to ask (index into Plane.gateways; default 0). */
  gateway?: number;
}

export interface KubectlCallOptions {
  /** Which gateway replica kubectl talks to (index into Plane.gateways; default 0). */
  gateway?: number;
  timeoutMs?: number;
}

export interface PlaneOptions {
  /** watch-cache processes (default 1): named watch-cache, watch-cache-1, ... */
  watchCacheReplicas?: number;
  /** gateway processes (default 1): named gateway, gateway-1, ... */
  gatewayReplicas?: number;
  /** Flags appended to every gateway replica's command line (e.g. fault injection). */
  gatewayArgs?: string[];
  /** Flags appended to every watch-cache replica's command line. */
  watchCacheArgs?: string[];
  /** Flags appended per component base name (etcd, nats, registry, watch-cache, gateway...). */
  extraArgs?: Record<string, string[]>;
}

export interface RestartCallOptions {
  /** Restart with the base command line plus these flags instead of the one it had. */
  extraArgs?: string[];
}

/** PEM material of the admin client (CN=admin, O=system:masters) and the cluster CA. */
export interface ClientTls {
  ca: Buffer;
  cert: Buffer;
  key: Buffer;
}

export interface Plane {
  /** Gateway replica 0; the kubeconfig points here. */
  server: string;
  /** Every gateway replica's base URL, replica i at index i. */
  gateways: string[];
  kubeconfig: string;
  dataDir: string;
  etcdUrl: string;
  natsUrl: string;
  tls: ClientTls;
  /** Component names as the launcher records them (etcd, nats, ..., gateway-1). */
  components: string[];
  kubectl(args: string[], input?: string, options?: KubectlCallOptions): Promise<KubectlResult>;
  request(method: string, path: string, options?: RequestOptions): Promise<HttpResult>;
  /** SIGKILLs a component by its name, as a crash would; resolves once it is gone. */
  kill(name: string): Promise<void>;
  /** Starts it again (same command line, ports, data dir; stopped first if running); resolves once ready. */
  restart(name: string, options?: RestartCallOptions): Promise<void>;
  stop(): Promise<void>;
}

const pidsToReap = new Set<number>();
// A test that dies mid-way must not leave a control plane running.
process.on('exit', () => {
  for (const pid of pidsToReap) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});
// A killed test run (timeout, Ctrl-C) ends through 'exit' too, so the reaper above runs.
for (const [signal, code] of [
  ['SIGTERM', 143],
  ['SIGINT', 130],
] as const) {
  process.once(signal, () => process.exit(code));
}

export async function startPlane(options: PlaneOptions = {}): Promise<Plane> {
  const dataDir = await mkdtemp(join(tmpdir(), 'splitplane-e2e-'));
  const state = await up({
    dataDir,
    securePort: 0,
    readyTimeoutMs: 60_000,
    log: () => undefined,
    ...(options.watchCacheReplicas === undefined
      ? {}
      : { watchCacheReplicas: options.watchCacheReplicas }),
    ...(options.gatewayReplicas === undefined ? {} : { gatewayReplicas: options.gatewayReplicas }),
    extraArgs: {
      ...options.extraArgs,
      ...(options.gatewayArgs ? { gateway: options.gatewayArgs } : {}),
      ...(options.watchCacheArgs ? { 'watch-cache': options.watchCacheArgs } : {}),
    },
  });
  for (const p of state.processes) pidsToReap.add(p.pid);
  const pki = join(dataDir, 'pki');
  const [ca, cert, key] = await Promise.all(
    ['ca.crt', 'admin.crt', 'admin.key'].map((f) => readFile(join(pki, f))),
  );
  const tls: ClientTls = { ca: ca!, cert: cert!, key: key! };
  const gateways = state.ports.gateways.map((port) => `https://127.0.0.1:${port}`);
  const gatewayUrl = (index = 0) => {
    const url = gateways[index];
    if (!url) throw new RangeError(`no gateway ${index}; this plane has ${gateways.length}`);
    return url;
  };
  return {
    server: gateways[0]!,
    gateways,
    kubeconfig: state.kubeconfig,
    dataDir,
    etcdUrl: `http://127.0.0.1:${state.ports.etcdClient}`,
    natsUrl: `nats://127.0.0.1:${state.ports.nats}`,
    tls,
    components: state.processes.map((p) => p.name),
    kubectl: (args, input, call = {}) =>
      kubectl(call.gateway ? [`--server=${gatewayUrl(call.gateway)}`, ...args] : args, {
        kubeconfig: state.kubeconfig,
        ...(input === undefined ? {} : { input }),
        timeoutMs: call.timeoutMs ?? 90_000,
      }),
    request: (method, path, options = {}) =>
      new Promise<HttpResult>((resolve, reject) => {
        const req = httpsRequest(
          `${gatewayUrl(options.gateway)}${path}`,
          {
            method,
            ca: tls.ca,
            ...(options.anonymous ? {} : { cert: tls.cert, key: tls.key }),
            headers: options.headers ?? {},
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => {
              const body = Buffer.concat(chunks).toString('utf8');
              resolve({
                status: res.statusCode ?? 0,
                headers: res.headers,
                body,
                json: () => JSON.parse(body),
              });
            });
            res.on('error', reject);
          },
        );
        req.on('error', reject);
        if (options.body !== undefined) req.write(options.body);
        req.end();
      }),
    async kill(name) {
      await killComponent(dataDir, name);
    },
    async restart(name, call = {}) {
      const record = await restartComponent(
        dataDir,
        name,
        call.extraArgs ? { extraArgs: call.extraArgs } : {},
      );
      pidsToReap.add(record.pid);
    },
    async stop() {
      const stopped = await down(dataDir);
      for (const p of [...state.processes, ...stopped]) pidsToReap.delete(p.pid);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Asserting helper: kubectl must succeed; on failure the message shows its stderr. */
export async function ok(result: Promise<KubectlResult>): Promise<string> {
  const r = await result;
  if (r.code !== 0) throw new Error(`kubectl failed (${r.code}): ${r.stderr || r.stdout}`);
  return r.stdout;
}
