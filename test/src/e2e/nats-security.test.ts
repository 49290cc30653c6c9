// NATS carries object contents, Secrets included (DESIGN §4), so the services can require
// TLS and credentials on it. A real nats-server demanding mutual TLS and a password, and a
// real watch-cache publishing to it through NATS_CLIENT_FLAGS.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { connect } from '@nats-io/transport-node';
import {
  connectNats,
  eventsSubject,
  freePorts,
  natsSecurityFromFlags,
  type NatsClientFlags,
} from '@splitplane/kit';
import { ensureDevPki, type DevPki } from '@splitplane/pki';
import { WatchEvent } from '@splitplane/proto';
import { createEtcdClient } from '@splitplane/storage';
import {
  makeTempDir,
  removeTempDir,
  spawnManaged,
  startEtcd,
  startNats,
  waitFor,
  type EtcdHandle,
  type ManagedProcess,
  type NatsHandle,
} from '@splitplane/testing';

const WATCH_CACHE_MAIN = fileURLToPath(
  new URL('../../../services/watch-cache/dist/main.js', import.meta.url),
);

describe('NATS with mutual TLS and a password', { timeout: 90_000 }, () => {
  let dir = '';
  let pki: DevPki;
  let nats: NatsHandle;
  let etcd: EtcdHandle;
  let watchCache: ManagedProcess | undefined;
  let secure: NatsClientFlags;

  before(async () => {
    dir = await makeTempDir('nats-security');
    pki = await ensureDevPki(join(dir, 'pki'));
    await writeFile(join(dir, 'password'), 's3cret\n', { mode: 0o600 });
    nats = await startNats({
      jetstream: false,
      extraArgs: [
        '--tlsverify',
        `--tlscert=${pki.internal.cert}`,
        `--tlskey=${pki.internal.key}`,
        `--tlscacert=${pki.internalCa.cert}`,
        '--user=splitplane',
        '--pass=s3cret',
      ],
    });
    etcd = await startEtcd();
    secure = {
      'nats-ca-file': pki.internalCa.cert,
      'nats-cert-file': pki.internal.cert,
      'nats-key-file': pki.internal.key,
      'nats-user': 'splitplane',
      'nats-password-file': join(dir, 'password'),
    };
  });

  after(async () => {
    await watchCache?.stop();
    await etcd?.stop();
    await nats?.stop();
    if (dir) await removeTempDir(dir);
  });

  it('refuses a client without TLS or without the password', async () => {
    const attempt = (opts: Parameters<typeof connect>[0]) =>
      connect({ servers: nats.url, reconnect: false, timeout: 3_000, ...opts });
    await assert.rejects(attempt({ user: 'splitplane', pass: 's3cret' }));
    await assert.rejects(
      attempt({
        tls: {
          caFile: pki.internalCa.cert,
          certFile: pki.internal.cert,
          keyFile: pki.internal.key,
        },
      }),
    );
  });

  it('rejects half-given TLS or credential flags', async () => {
    await assert.rejects(
      natsSecurityFromFlags({ ...secure, 'nats-key-file': '' }),
      /--nats-cert-file and --nats-key-file go together/,
    );
    await assert.rejects(
      natsSecurityFromFlags({ ...secure, 'nats-user': '' }),
      /--nats-password-file needs --nats-user/,
    );
  });

  it('a watch-cache given the flags publishes events a secured subscriber receives', async () => {
    const subscriber = await connectNats({
      servers: [nats.url],
      name: 'test',
      ...(await natsSecurityFromFlags(secure)),
    });
    const received: WatchEvent[] = [];
    subscriber.subscribe(eventsSubject('', 'configmaps'), {
      callback: (_err, msg) => {
        const event = WatchEvent.decode(msg.data);
        if (event.type !== 'PROGRESS') received.push(event);
      },
    });
    const [port] = await freePorts(1);
    watchCache = await spawnManaged(process.execPath, [
      WATCH_CACHE_MAIN,
      `--listen-address=127.0.0.1:${port}`,
      `--etcd-servers=${etcd.endpoint}`,
      `--nats-servers=${nats.url}`,
      ...Object.entries(secure).map(([flag, value]) => `--${flag}=${value}`),
    ]);
    const client = createEtcdClient({ servers: [etcd.endpoint] });
    try {
      // Written until one arrives: the watch-cache may still be connecting when the first lands.
      let n = 0;
      await waitFor(
        async () => {
          const object = {
            apiVersion: 'v1',
            kind: 'ConfigMap',
            metadata: { name: `cm-${n}`, namespace: 'default', uid: `u-${n}` },
          };
          await client.put(`/registry/configmaps/default/cm-${n++}`).value(JSON.stringify(object));
          return received.length > 0;
        },
        { timeoutMs: 30_000, intervalMs: 500, message: 'an event over secured NATS' },
      );
      assert.equal(received[0]!.type, 'ADDED');
      assert.equal(received[0]!.namespace, 'default');
      assert.match(received[0]!.name, /^cm-\d+$/);
    } finally {
      client.close();
      await subscriber.close();
    }
  });
});
