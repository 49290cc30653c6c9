// A throwaway single-member etcd for integration tests: free loopback ports, a temp dir,
// stopped by PID. (Kept local because @splitplane/testing's startEtcd hung on readiness here;
// switch to it once it is settled.)
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface TestEtcd {
  endpoint: string;
  pid: number;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export async function startTestEtcd(extraArgs: string[] = []): Promise<TestEtcd> {
  const dir = await mkdtemp(join(tmpdir(), 'splitplane-storage-etcd-'));
  const [client, peer] = [await freePort(), await freePort()];
  const clientUrl = `http://127.0.0.1:${client}`;
  const peerUrl = `http://127.0.0.1:${peer}`;
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('ETCD_')),
  );
  const child: ChildProcess = spawn(
    '/usr/bin/etcd',
    [
      '--name=default',
      `--data-dir=${join(dir, 'data')}`,
      `--listen-client-urls=${clientUrl}`,
      `--advertise-client-urls=${clientUrl}`,
      `--listen-peer-urls=${peerUrl}`,
      `--initial-advertise-peer-urls=${peerUrl}`,
      `--initial-cluster=default=${peerUrl}`,
      '--heartbeat-interval=10',
      '--election-timeout=100',
      '--log-level=error',
      ...extraArgs,
    ],
    { stdio: 'ignore', env },
  );
  child.unref();
  const pid = child.pid!;
  let exited = false;
  child.once('exit', () => (exited = true));
  const stop = async () => {
    if (!exited) {
      process.kill(pid, 'SIGKILL');
      for (let i = 0; i < 100 && !exited; i++) await sleep(20);
    }
    await rm(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (exited) throw new Error(`etcd exited during startup (see ${dir})`);
    try {
      const res = await fetch(`${clientUrl}/health`, { signal: AbortSignal.timeout(1000) });
      const body = (await res.json()) as { health?: string };
      if (body.health === 'true') break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error('etcd did not become healthy within 20 s');
    }
    await sleep(50);
  }
  return { endpoint: clientUrl, pid, stop };
}
