// The launcher on real processes: replicas on their own ports, crash and restart by name.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { killComponent, restartComponent } from './control.js';
import { LauncherError } from './errors.js';
import { down, status, up } from './launcher.js';
import { isAlive } from './processes.js';
import { readState, type LauncherState } from './state.js';

const cmdline = async (pid: number) => (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0');

describe('launcher replicas, kill and restart', { timeout: 300_000 }, () => {
  let dataDir: string;
  let started: LauncherState;
  const allPids = new Set<number>();

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'splitplane-launcher-'));
    started = await up({
      dataDir,
      securePort: 0,
      readyTimeoutMs: 60_000,
      log: () => undefined,
      watchCacheReplicas: 2,
      gatewayReplicas: 2,
      extraArgs: { gateway: ['--goaway-chance=0'] },
    });
    for (const p of started.processes) allPids.add(p.pid);
  });
  after(async () => {
    await down(dataDir).catch(() => undefined);
    for (const pid of allPids) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  it('runs every replica on its own port and records them all', async () => {
    const { ports } = started;
    assert.equal(ports.watchCaches.length, 2);
    assert.equal(ports.gateways.length, 2);
    assert.equal(ports.watchCache, ports.watchCaches[0]);
    assert.equal(ports.gateway, ports.gateways[0]);
    const all = [
      ports.etcdClient,
      ports.etcdPeer,
      ports.nats,
      ports.natsMonitor,
      ports.admission,
      ports.authz,
      ports.registry,
      ...ports.watchCaches,
      ...ports.gateways,
    ];
    assert.equal(new Set(all).size, all.length, 'no port is used twice');
    const rows = await status(dataDir);
    assert.deepEqual(
      rows?.map((r) => `${r.name}:${r.ready}`),
      [
        'etcd',
        'nats',
        'admission',
        'authz',
        'registry',
        'watch-cache',
        'watch-cache-1',
        'gateway',
        'gateway-1',
      ].map((n) => `${n}:true`),
    );
    const gateway1 = started.processes.find((p) => p.name === 'gateway-1')!;
    assert.ok((await cmdline(gateway1.pid)).includes('--goaway-chance=0'));
  });

  it('kills a replica by name and restarts it with the same command line', async () => {
    const before = (await readState(dataDir))!.processes.find((p) => p.name === 'watch-cache-1')!;
    const killed = await killComponent(dataDir, 'watch-cache-1');
    assert.equal(killed.pid, before.pid);
    assert.equal(isAlive(before.pid), false);
    const row = (await status(dataDir))!.find((r) => r.name === 'watch-cache-1')!;
    assert.deepEqual([row.running, row.ready], [false, false]);

    const restarted = await restartComponent(dataDir, 'watch-cache-1');
    allPids.add(restarted.pid);
    assert.notEqual(restarted.pid, before.pid);
    assert.deepEqual(await cmdline(restarted.pid), cmdlineOf(before));
    const recorded = (await readState(dataDir))!.processes.find((p) => p.name === 'watch-cache-1');
    assert.equal(recorded?.pid, restarted.pid);
    assert.ok((await status(dataDir))!.every((r) => r.ready));
  });

  it('restarts etcd and NATS in place, and a running gateway with other flags', async () => {
    await killComponent(dataDir, 'etcd');
    await killComponent(dataDir, 'nats');
    for (const name of ['etcd', 'nats']) allPids.add((await restartComponent(dataDir, name)).pid);
    const gateway = await restartComponent(dataDir, 'gateway-1', {
      extraArgs: ['--goaway-chance=0.01'],
    });
    allPids.add(gateway.pid);
    const args = await cmdline(gateway.pid);
    assert.ok(args.includes('--goaway-chance=0.01'));
    assert.ok(!args.includes('--goaway-chance=0'), 'the flags it was started with are replaced');
    assert.ok(args.includes(`--secure-port=${started.ports.gateways[1]}`));
    // Readiness of every component, gateways included, goes through etcd and NATS again.
    assert.ok((await status(dataDir))!.every((r) => r.ready));
  });

  it('refuses unknown names and replica counts below one', async () => {
    await assert.rejects(killComponent(dataDir, 'watch-cache-7'), LauncherError);
    await assert.rejects(
      up({
        dataDir: join(dataDir, 'other'),
        securePort: 0,
        readyTimeoutMs: 1000,
        log: () => undefined,
        gatewayReplicas: 0,
      }),
      LauncherError,
    );
  });

  it('stops every process, restarted ones included', async () => {
    const pids = (await readState(dataDir))!.processes.map((p) => p.pid);
    await down(dataDir);
    assert.deepEqual(pids.filter(isAlive), []);
    assert.equal(await readState(dataDir), undefined);
  });
});

/** The command line a record was started with, as /proc shows it (command, args, trailing ''). */
function cmdlineOf(record: { command?: string; args?: string[] }): string[] {
  return [record.command!, ...record.args!, ''];
}
