// The splitplane CLI as a user runs it: up --detach, status, down, with nothing left behind.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { isAlive } from '@splitplane/launcher';

const run = promisify(execFile);
const cli = fileURLToPath(new URL('../../../packages/launcher/dist/cli.js', import.meta.url));

describe('splitplane CLI', { timeout: 120_000 }, () => {
  it('starts detached, reports status, and stops every process by PID', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'splitplane-cli-'));
    try {
      const up = await run(process.execPath, [
        cli,
        'up',
        '--detach',
        '--data-dir',
        dataDir,
        '--secure-port',
        '0',
      ]);
      assert.match(up.stdout, /splitplane is ready at https:\/\/127\.0\.0\.1:\d+/);
      assert.match(up.stdout, new RegExp(`export KUBECONFIG=${join(dataDir, 'kubeconfig')}`));
      const state = JSON.parse(await readFile(join(dataDir, 'state.json'), 'utf8'));
      const pids: number[] = state.processes.map((p: { pid: number }) => p.pid);
      assert.deepEqual(
        state.processes.map((p: { name: string }) => p.name),
        ['etcd', 'nats', 'admission', 'authz', 'registry', 'watch-cache', 'gateway'],
      );

      const status = await run(process.execPath, [cli, 'status', '--data-dir', dataDir]);
      for (const name of [
        'etcd',
        'nats',
        'admission',
        'authz',
        'registry',
        'watch-cache',
        'gateway',
      ]) {
        assert.match(status.stdout, new RegExp(`^${name}\\s+\\d+\\s+ready$`, 'm'));
      }

      await assert.rejects(
        run(process.execPath, [cli, 'up', '--detach', '--data-dir', dataDir, '--secure-port', '0']),
        /already running/,
      );

      const down = await run(process.execPath, [cli, 'down', '--data-dir', dataDir]);
      assert.match(
        down.stdout,
        /Stopped etcd, nats, admission, authz, registry, watch-cache, gateway/,
      );
      assert.deepEqual(pids.filter(isAlive), []);
      await assert.rejects(
        run(process.execPath, [cli, 'status', '--data-dir', dataDir]),
        (err: { stdout?: string }) => /Nothing is running/.test(err.stdout ?? ''),
      );
    } finally {
      await run(process.execPath, [cli, 'down', '--data-dir', dataDir]).catch(() => undefined);
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('stays in the foreground until Ctrl-C, then stops everything', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'splitplane-cli-'));
    const launcher = spawn(
      process.execPath,
      [cli, 'up', '--data-dir', dataDir, '--secure-port', '0'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const exited = new Promise<number | null>((resolve) => launcher.once('exit', resolve));
    try {
      let output = '';
      launcher.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      for (let i = 0; i < 600 && !output.includes('Press Ctrl-C to stop.'); i++) await sleep(100);
      assert.match(output, /Press Ctrl-C to stop\./);
      await sleep(2500);
      assert.equal(launcher.exitCode, null, 'up keeps running in the foreground');
      const state = JSON.parse(await readFile(join(dataDir, 'state.json'), 'utf8'));
      const pids: number[] = state.processes.map((p: { pid: number }) => p.pid);
      assert.deepEqual(
        pids.filter((pid) => !isAlive(pid)),
        [],
      );

      launcher.kill('SIGINT');
      assert.equal(await exited, 0);
      assert.match(output, /Stopping\.\.\./);
      assert.deepEqual(pids.filter(isAlive), []);
    } finally {
      launcher.kill('SIGKILL');
      await run(process.execPath, [cli, 'down', '--data-dir', dataDir]).catch(() => undefined);
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
