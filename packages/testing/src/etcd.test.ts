import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dirname } from 'node:path';
import { Etcd3 } from 'etcd3';
import { MissingBinaryError, startEtcd } from './index.js';
import { pathExists, pidAlive } from './test-helpers.js';

function client(endpoint: string): Etcd3 {
  return new Etcd3({ hosts: endpoint });
}

test('startEtcd: put/get through etcd3, then stop kills the PID and removes the dir', async () => {
  const etcd = await startEtcd();
  const { pid, dataDir } = etcd;
  try {
    assert.match(etcd.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.ok(pidAlive(pid));
    const c = client(etcd.endpoint);
    try {
      await c.put('/registry/test/a').value('hello');
      assert.equal(await c.get('/registry/test/a').string(), 'hello');
    } finally {
      c.close();
    }
  } finally {
    await etcd.stop();
  }
  assert.equal(pidAlive(pid), false, 'etcd PID is gone');
  assert.equal(await pathExists(dirname(dataDir)), false, 'temp dir removed');
  await etcd.stop(); // idempotent
});

test('startEtcd: data persists across restart, on a new PID and the same endpoint', async (t) => {
  const etcd = await startEtcd();
  t.after(() => etcd.stop());
  const c1 = client(etcd.endpoint);
  await c1.put('k').value('v1');
  c1.close();

  const before = etcd.pid;
  await etcd.restart();
  assert.notEqual(etcd.pid, before);
  assert.equal(pidAlive(before), false);

  const c2 = client(etcd.endpoint);
  try {
    assert.equal(await c2.get('k').string(), 'v1');
  } finally {
    c2.close();
  }
});

test('startEtcd: a SIGKILLed etcd is noticed and stop still cleans up', async () => {
  const etcd = await startEtcd();
  const pid = etcd.pid;
  etcd.kill('SIGKILL');
  const status = await etcd.process.waitForExit();
  assert.equal(status.signal, 'SIGKILL');
  assert.equal(pidAlive(pid), false);
  await etcd.stop();
  assert.equal(await pathExists(dirname(etcd.dataDir)), false);
});

test('startEtcd: a missing binary names the Debian package', async () => {
  await assert.rejects(startEtcd({ binary: '/nonexistent/etcd' }), (err: unknown) => {
    assert.ok(err instanceof MissingBinaryError);
    assert.match(err.message, /etcd-server/);
    return true;
  });
});
