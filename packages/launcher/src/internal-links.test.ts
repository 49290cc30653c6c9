import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ensureDevPki, type DevPki } from '@splitplane/pki';
import { ensureNatsAuth, natsAuthPaths, NATS_USER } from './internal-links.js';

describe('ensureNatsAuth', () => {
  let dir = '';
  let pki: DevPki;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nats-auth-'));
    pki = await ensureDevPki(join(dir, 'pki'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes a 0600 password and a config requiring TLS, a client certificate and it', async () => {
    const paths = await ensureNatsAuth(dir, pki);
    assert.deepEqual(paths, natsAuthPaths(dir));
    const password = (await readFile(paths.passwordFile, 'utf8')).trim();
    assert.ok(password.length >= 24);
    for (const file of [paths.passwordFile, paths.configFile])
      assert.equal((await stat(file)).mode & 0o777, 0o600, file);
    const config = await readFile(paths.configFile, 'utf8');
    assert.match(config, /verify: true/);
    assert.ok(config.includes(`cert_file: ${JSON.stringify(pki.nats.cert)}`));
    assert.ok(config.includes(`ca_file: ${JSON.stringify(pki.internalCa.cert)}`));
    assert.ok(config.includes(`user: "${NATS_USER}"`));
    assert.ok(config.includes(`password: ${JSON.stringify(password)}`));
  });

  it('keeps the password across restarts', async () => {
    const first = await readFile(natsAuthPaths(dir).passwordFile, 'utf8');
    await ensureNatsAuth(dir, pki);
    assert.equal(await readFile(natsAuthPaths(dir).passwordFile, 'utf8'), first);
  });
});
