import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StartupError, liveChildren, readLogTail, spawnManaged, waitFor } from './index.js';
import { pidAlive } from './test-helpers.js';

test('a startup failure carries the last 40 log lines', async () => {
  const script = 'for i in $(seq 1 100); do echo line-$i; done; echo oops >&2; exit 3';
  await assert.rejects(
    spawnManaged('sh', ['-c', script], {
      name: 'failing',
      readyCheck: () => false,
      readyTimeoutMs: 5_000,
    }),
    (err: unknown) => {
      assert.ok(err instanceof StartupError);
      assert.match(err.message, /failing failed to start: .*exited \(code 3/);
      const tail = err.logTail.split('\n');
      assert.equal(tail.length, 40);
      assert.equal(tail[0], 'line-62');
      assert.equal(tail.at(-1), 'oops');
      return true;
    },
  );
});

test('a process that never becomes ready is killed and reported', async () => {
  let pid = 0;
  await assert.rejects(
    spawnManaged('sh', ['-c', 'echo $$; exec sleep 60'], {
      readyCheck: async () => {
        throw new Error('connection refused');
      },
      readyTimeoutMs: 300,
    }),
    (err: unknown) => {
      assert.ok(err instanceof StartupError);
      assert.match(err.message, /not ready after 300 ms/);
      pid = Number(err.logTail.trim());
      return true;
    },
  );
  assert.ok(pid > 0);
  assert.equal(pidAlive(pid), false);
});

const proc0LogFile = join(tmpdir(), `splitplane-test-trap-${process.pid}.log`);

test('stop escalates to SIGKILL when SIGTERM is ignored', async () => {
  // Ready only once the trap is installed, or SIGTERM could arrive first and simply work.
  const proc = await spawnManaged(
    'sh',
    ['-c', 'trap "" TERM; echo trapped; while true; do sleep 0.05; done'],
    {
      readyCheck: async () => (await readLogTail(proc0LogFile)).includes('trapped'),
      logFile: proc0LogFile,
    },
  );
  assert.ok(liveChildren().includes(proc.pid));
  const started = Date.now();
  const status = await proc.stop({ timeoutMs: 300 });
  assert.equal(status.signal, 'SIGKILL');
  assert.ok(Date.now() - started >= 250);
  assert.equal(pidAlive(proc.pid), false);
  assert.equal(liveChildren().includes(proc.pid), false);
  await rm(proc0LogFile, { force: true });
});

test('stop also ends grandchildren (the whole process group)', async () => {
  const proc = await spawnManaged('sh', ['-c', 'sleep 60 & echo $!; wait']);
  const grandchild = Number(
    await waitFor(async () => (await proc.logTail()).trim(), { message: 'grandchild pid' }),
  );
  await proc.stop();
  await waitFor(() => !pidAlive(grandchild), { timeoutMs: 2_000, message: 'grandchild gone' });
});

const fixture = fileURLToPath(new URL('./fixtures/orphan-parent.js', import.meta.url));

for (const mode of ['exit', 'throw', 'signal'] as const) {
  test(`no orphan when the test process ends by ${mode}`, async () => {
    const parent = spawn(process.execPath, [fixture, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
    // Attach now: in 'exit' mode the parent may be gone before we have read the PID.
    const parentExit = new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
      parent.once('exit', (c, s) => resolve([c, s])),
    );
    let out = '';
    parent.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    parent.stderr.resume();
    const childPid = Number(
      await waitFor(() => out.match(/^(\d+)\n/)?.[1], { message: 'child pid' }),
    );
    if (mode === 'signal') parent.kill('SIGTERM');
    const [code, signal] = await parentExit;
    if (mode === 'signal') assert.equal(signal, 'SIGTERM', 'the default termination is kept');
    else assert.notEqual(code, 0);
    await waitFor(() => !pidAlive(childPid), {
      timeoutMs: 2_000,
      message: `child ${childPid} gone`,
    });
  });
}

test('waitForExit keeps the process alive while waiting', async () => {
  const proc = await spawnManaged('sleep', ['0.2']);
  const status = await proc.waitForExit();
  assert.deepEqual(status, { code: 0, signal: null });
  await sleep(0);
});
