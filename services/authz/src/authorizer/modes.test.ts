import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { staticRbacView } from '../rbac/rbac-view.js';
import type { Attributes } from './authorizer.js';
import { authorizerChain, UnsupportedModeError } from './modes.js';

const attrs = (username: string): Attributes => ({
  user: { username, uid: '', groups: ['system:authenticated'], extra: {} },
  verb: 'get',
  resourceRequest: true,
  path: '',
  apiGroup: '',
  apiVersion: 'v1',
  resource: 'pods',
  subresource: '',
  namespace: 'default',
  name: '',
});

describe('authorization modes', () => {
  let server: Server;
  let dir: string;
  let configFile: string;
  before(async () => {
    // A SubjectAccessReview service that allows only "hooked".
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const review = JSON.parse(body) as { spec: { user: string } };
        res.setHeader('Content-Type', 'application/json');
        res.end(
          JSON.stringify({
            ...review,
            status: { allowed: review.spec.user === 'hooked', reason: 'hook says so' },
          }),
        );
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    dir = await mkdtemp(join(tmpdir(), 'authz-modes-'));
    configFile = join(dir, 'webhook.yaml');
    await writeFile(
      configFile,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [
          {
            name: 'w',
            cluster: { server: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` },
          },
        ],
        users: [{ name: 'u', user: {} }],
        contexts: [{ name: 'c', context: { cluster: 'w', user: 'u' } }],
        'current-context': 'c',
      }),
    );
  });
  after(async () => {
    server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('asks RBAC, then the webhook, in --authorization-mode order', async () => {
    const chain = authorizerChain(['RBAC', 'Webhook', 'AlwaysDeny'], {
      rbac: staticRbacView({}),
      webhook: { configFile },
    });
    const hooked = await chain.authorizer.authorize(attrs('hooked'));
    assert.deepEqual([hooked.decision, hooked.reason], ['Allow', 'hook says so']);
    const other = await chain.authorizer.authorize(attrs('other'));
    assert.equal(other.decision, 'Deny');
    // The webhook cannot list rules: the review is incomplete, as kube's.
    const rules = chain.rules.rulesFor({ username: 'other', groups: [] }, 'default');
    assert.equal(rules.incomplete, true);
  });

  it('names the modes it supports', () => {
    assert.throws(() => authorizerChain(['Node']), {
      name: 'UnsupportedModeError',
      message:
        'authorization mode "Node" is not supported; supported: RBAC, Webhook, AlwaysAllow, AlwaysDeny',
    });
    assert.throws(() => authorizerChain([]), UnsupportedModeError);
  });
});
