import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from '@nats-io/transport-node';
import { MissingBinaryError, startNats } from './index.js';
import { pathExists, pidAlive } from './test-helpers.js';

test('startNats: pub/sub one message, then stop kills the PID and removes the dir', async () => {
  const nats = await startNats();
  const { pid, dataDir } = nats;
  try {
    assert.match(nats.url, /^nats:\/\/127\.0\.0\.1:\d+$/);
    const nc = await connect({ servers: nats.url });
    try {
      const sub = nc.subscribe('kube.events.test', { max: 1 });
      const received = (async () => {
        for await (const msg of sub) return msg.string();
        return undefined;
      })();
      await nc.flush(); // the subscription is registered on the server before we publish
      nc.publish('kube.events.test', 'hello');
      assert.equal(await received, 'hello');
    } finally {
      await nc.close();
    }
  } finally {
    await nats.stop();
  }
  assert.equal(pidAlive(pid), false);
  assert.equal(await pathExists(dataDir), false);
});

test('startNats: JetStream is enabled, and restart comes back on the same URL', async (t) => {
  const nats = await startNats();
  t.after(() => nats.stop());
  const before = nats.pid;
  await nats.restart();
  assert.notEqual(nats.pid, before);
  const nc = await connect({ servers: nats.url });
  try {
    // $JS.API.INFO answers only when JetStream is on.
    const reply = await nc.request('$JS.API.INFO', '', { timeout: 2_000 });
    assert.equal(
      (reply.json() as { type?: string }).type,
      'io.nats.jetstream.api.v1.account_info_response',
    );
  } finally {
    await nc.close();
  }
});

test('startNats: a missing binary names the Debian package', async () => {
  await assert.rejects(startNats({ binary: '/nonexistent/nats-server' }), (err: unknown) => {
    assert.ok(err instanceof MissingBinaryError);
    assert.match(err.message, /nats-server/);
    return true;
  });
});
