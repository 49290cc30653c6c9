// /livez, /readyz, /healthz in kube's format, reflecting downstream gRPC health.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { type Harness, startHarness } from '../testing/harness.js';
import { startGrpcServer } from '@splitplane/kit';

let h: Harness;
let admission: Awaited<ReturnType<typeof startGrpcServer>>;
before(async () => {
  // A downstream that reports NOT_SERVING stands in for a failing admission service.
  admission = await startGrpcServer('127.0.0.1:0', []);
  h = await startHarness({ admissionAddress: `127.0.0.1:${admission.port}` });
});
after(async () => {
  await h.stop();
  await admission.stop(100);
});

test('livez: ok, and per-check lines with ?verbose', async () => {
  const plain = await h.call('GET', '/livez');
  assert.equal(plain.status, 200);
  assert.equal(plain.text, 'ok');
  assert.equal(plain.headers['content-type'], 'text/plain; charset=utf-8');
  const verbose = await h.call('GET', '/livez?verbose');
  assert.equal(verbose.text, '[+]ping ok\nlivez check passed\n');
});

test('readyz reflects every downstream service', async () => {
  const ok = await h.call('GET', '/readyz?verbose');
  assert.equal(ok.status, 200);
  assert.equal(
    ok.text,
    '[+]ping ok\n[+]registry ok\n[+]watch-cache ok\n[+]authz ok\n[+]admission ok\n[+]shutdown ok\nreadyz check passed\n',
  );
  assert.equal((await h.call('GET', '/readyz/registry')).text, 'ok');

  admission.health.setStatus('', 'NOT_SERVING');
  try {
    const failed = await h.call('GET', '/readyz');
    assert.equal(failed.status, 500);
    assert.equal(
      failed.text,
      '[+]ping ok\n[+]registry ok\n[+]watch-cache ok\n[+]authz ok\n[-]admission failed: reason withheld\n[+]shutdown ok\nreadyz check failed\n',
    );
    const one = await h.call('GET', '/readyz/admission');
    assert.equal(one.status, 500);
    assert.equal(one.text, 'internal server error: admission is not serving\n');
    const excluded = await h.call('GET', '/readyz?exclude=admission&verbose');
    assert.equal(excluded.status, 200);
    assert.match(excluded.text, /\[\+\]admission excluded: ok\n/);
    assert.equal((await h.call('GET', '/healthz')).status, 500);
    assert.equal((await h.call('GET', '/livez')).status, 200);
  } finally {
    admission.health.setStatus('', 'SERVING');
  }
});

test('an unknown check is 404', async () => {
  assert.equal((await h.call('GET', '/readyz/nope')).status, 404);
});
