// Runs the whole control plane through the launcher, as a user would with `splitplane up`,
// on free ports in a temp dir; and talks to it with kubectl and with raw HTTPS.
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { down, up } from '@splitplane/launcher';
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
}

export interface Plane {
  server: string;
  kubeconfig: string;
  dataDir: string;
  kubectl(args: string[], input?: string): Promise<KubectlResult>;
  request(method: string, path: string, options?: RequestOptions): Promise<HttpResult>;
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

export async function startPlane(): Promise<Plane> {
  const dataDir = await mkdtemp(join(tmpdir(), 'splitplane-e2e-'));
  const state = await up({ dataDir, securePort: 0, readyTimeoutMs: 60_000, log: () => undefined });
  for (const p of state.processes) pidsToReap.add(p.pid);
  const pki = join(dataDir, 'pki');
  const [ca, cert, key] = await Promise.all(
    ['ca.crt', 'admin.crt', 'admin.key'].map((f) => readFile(join(pki, f))),
  );
  const server = `https://127.0.0.1:${state.ports.gateway}`;
  return {
    server,
    kubeconfig: state.kubeconfig,
    dataDir,
    kubectl: (args, input) =>
      kubectl(args, {
        kubeconfig: state.kubeconfig,
        ...(input === undefined ? {} : { input }),
        timeoutMs: 90_000,
      }),
    request: (method, path, options = {}) =>
      new Promise<HttpResult>((resolve, reject) => {
        const req = httpsRequest(
          `${server}${path}`,
          {
            method,
            ca,
            ...(options.anonymous ? {} : { cert, key }),
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
          },
        );
        req.on('error', reject);
        if (options.body !== undefined) req.write(options.body);
        req.end();
      }),
    async stop() {
      await down(dataDir);
      for (const p of state.processes) pidsToReap.delete(p.pid);
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
