import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  MissingBinaryError,
  WaitTimeoutError,
  findBinary,
  freePort,
  freePorts,
  kubectl,
  waitFor,
} from './index.js';

test('freePort returns a bindable loopback port; freePorts are distinct', async () => {
  const port = await freePort();
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  await new Promise<void>((resolve) => server.close(() => resolve()));
  const ports = await freePorts(5);
  assert.equal(new Set(ports).size, 5);
});

test('waitFor returns the first truthy value, and times out with the last error as cause', async () => {
  let n = 0;
  assert.equal(await waitFor(() => (++n >= 3 ? 'ready' : undefined), { intervalMs: 1 }), 'ready');
  await assert.rejects(
    waitFor(
      () => {
        throw new Error('still down');
      },
      { timeoutMs: 50, intervalMs: 10, message: 'the thing' },
    ),
    (err: unknown) => {
      assert.ok(err instanceof WaitTimeoutError);
      assert.match(err.message, /waiting for the thing/);
      assert.equal((err.cause as Error).message, 'still down');
      return true;
    },
  );
});

test('findBinary resolves from PATH and names the package when missing', async () => {
  assert.match(await findBinary('sh', { debianPackage: 'dash' }), /\/sh$/);
  await assert.rejects(
    findBinary('no-such-program-here', { debianPackage: 'some-pkg' }),
    (err: unknown) => {
      assert.ok(err instanceof MissingBinaryError);
      assert.match(err.message, /some-pkg/);
      return true;
    },
  );
});

test('kubectl runs without a shell, passes --kubeconfig and stdin, reports failures', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'splitplane-kubectl-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const kubeconfig = join(dir, 'config');
  await writeFile(
    kubeconfig,
    'apiVersion: v1\nkind: Config\nclusters: []\nusers: []\ncontexts: []\ncurrent-context: "$(touch pwned)"\n',
  );
  const view = await kubectl(['config', 'view', '-o', 'jsonpath={.current-context}'], {
    kubeconfig,
  });
  assert.equal(view.code, 0, view.stderr);
  assert.equal(view.stdout, '$(touch pwned)');

  // Malformed YAML on stdin proves the input reached kubectl; its failure is a result, not a throw.
  const plain = join(dir, 'plain');
  await writeFile(plain, 'apiVersion: v1\nkind: Config\nclusters: []\nusers: []\ncontexts: []\n');
  const bad = await kubectl(['apply', '--dry-run=client', '-f', '-'], {
    kubeconfig: plain,
    input: 'kind: [',
  });
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /error parsing STDIN/);
  assert.equal(bad.timedOut, false);
});
