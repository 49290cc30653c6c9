import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { BUILTIN_RESOURCES, Scheme } from '@splitplane/scheme';
import express from 'express';
import { aggregatedDiscovery } from './aggregated.js';
import { apiGroupList, apiResourceList, apiVersions, storageVersionHash } from './documents.js';
import { negotiateDiscovery } from './negotiate.js';
import { discoveryRouter } from './router.js';
import { compareVersions, sortVersions } from './version-priority.js';

const KUBECTL_ACCEPT =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

describe('discovery documents', () => {
  const scheme = new Scheme(BUILTIN_RESOURCES);

  it('storageVersionHash matches kube-apiserver', () => {
    assert.equal(storageVersionHash('', 'v1', 'Pod'), 'xPOwRZ+Yhw8=');
    assert.equal(storageVersionHash('apps', 'v1', 'Deployment'), '8aSe+NMegvE=');
  });

  it('apps/v1 lists deployments with scale and status subresources', () => {
    const list = apiResourceList(scheme, 'apps', 'v1')!;
    assert.equal(list.kind, 'APIResourceList');
    assert.equal(list.apiVersion, 'v1');
    assert.equal(list.groupVersion, 'apps/v1');
    const byName = new Map(list.resources.map((r) => [r.name, r]));
    assert.deepEqual(byName.get('deployments'), {
      name: 'deployments',
      singularName: 'deployment',
      namespaced: true,
      kind: 'Deployment',
      verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
      shortNames: ['deploy'],
      categories: ['all'],
      storageVersionHash: '8aSe+NMegvE=',
    });
    assert.deepEqual(byName.get('deployments/scale'), {
      name: 'deployments/scale',
      singularName: '',
      namespaced: true,
      group: 'autoscaling',
      version: 'v1',
      kind: 'Scale',
      verbs: ['get', 'patch', 'update'],
    });
    assert.deepEqual(byName.get('deployments/status'), {
      name: 'deployments/status',
      singularName: '',
      namespaced: true,
      kind: 'Deployment',
      verbs: ['get', 'patch', 'update'],
    });
    const names = list.resources.map((r) => r.name);
    assert.deepEqual(names, [...names].sort());
  });

  it('core v1 has pods/status, no apiVersion, and cluster-scoped namespaces', () => {
    const list = apiResourceList(scheme, '', 'v1')!;
    assert.equal(list.apiVersion, undefined);
    assert.equal(list.groupVersion, 'v1');
    assert.ok(list.resources.some((r) => r.name === 'pods/status' && r.kind === 'Pod'));
    const ns = list.resources.find((r) => r.name === 'namespaces')!;
    assert.equal(ns.namespaced, false);
    assert.ok(!ns.verbs.includes('deletecollection'));
    assert.equal(apiResourceList(scheme, 'apps', 'v9'), undefined);
  });

  it('/api and /apis legacy lists', () => {
    assert.deepEqual(apiVersions(scheme, '10.0.0.1:6443'), {
      kind: 'APIVersions',
      versions: ['v1'],
      serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '10.0.0.1:6443' }],
    });
    const groups = apiGroupList(scheme);
    assert.equal(groups.kind, 'APIGroupList');
    const apps = groups.groups.find((g) => g.name === 'apps')!;
    assert.deepEqual(apps, {
      name: 'apps',
      versions: [{ groupVersion: 'apps/v1', version: 'v1' }],
      preferredVersion: { groupVersion: 'apps/v1', version: 'v1' },
    });
    assert.ok(!groups.groups.some((g) => g.name === ''));
  });

  it('aggregated v2 document shape', () => {
    const doc = aggregatedDiscovery(scheme, 'apis', 'v2');
    assert.equal(doc.kind, 'APIGroupDiscoveryList');
    assert.equal(doc.apiVersion, 'apidiscovery.k8s.io/v2');
    const apps = doc.items.find((g) => g.metadata.name === 'apps')!;
    assert.equal(apps.versions[0]!.version, 'v1');
    assert.equal(apps.versions[0]!.freshness, 'Current');
    const deploy = apps.versions[0]!.resources.find((r) => r.resource === 'deployments')!;
    assert.deepEqual(deploy, {
      resource: 'deployments',
      responseKind: { group: 'apps', version: 'v1', kind: 'Deployment' },
      scope: 'Namespaced',
      singularResource: 'deployment',
      verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
      shortNames: ['deploy'],
      categories: ['all'],
      subresources: [
        {
          subresource: 'scale',
          responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' },
          verbs: ['get', 'patch', 'update'],
        },
        {
          subresource: 'status',
          responseKind: { group: 'apps', version: 'v1', kind: 'Deployment' },
          verbs: ['get', 'patch', 'update'],
        },
      ],
    });
    const core = aggregatedDiscovery(scheme, 'core', 'v2beta1');
    assert.equal(core.apiVersion, 'apidiscovery.k8s.io/v2beta1');
    assert.equal(core.items.length, 1);
    assert.equal(core.items[0]!.metadata.name, undefined);
    const nodes = core.items[0]!.versions[0]!.resources.find((r) => r.resource === 'nodes')!;
    assert.equal(nodes.scope, 'Cluster');
  });

  it('orders versions as kube does', () => {
    assert.deepEqual(sortVersions(['v1alpha1', 'v1beta1', 'v2', 'v1', 'v1beta2', 'foo', 'v10']), [
      'v10',
      'v2',
      'v1',
      'v1beta2',
      'v1beta1',
      'v1alpha1',
      'foo',
    ]);
    assert.ok(compareVersions('v1', 'v1beta1') < 0);
  });

  it('negotiates the kubectl Accept header to v2', () => {
    assert.deepEqual(negotiateDiscovery(KUBECTL_ACCEPT, true), {
      kind: 'aggregated',
      version: 'v2',
      contentType: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList',
    });
    assert.equal(negotiateDiscovery(KUBECTL_ACCEPT, false).kind, 'legacy');
    assert.equal(negotiateDiscovery(undefined, true).kind, 'legacy');
    assert.throws(
      () => negotiateDiscovery('text/html', true),
      (e: { code: number }) => e.code === 406,
    );
  });
});

describe('discovery router over HTTP', () => {
  const scheme = new Scheme(BUILTIN_RESOURCES.filter((d) => d.group !== 'batch'));
  let base = '';
  let close: () => void = () => {};

  before(async () => {
    const app = express();
    app.use(discoveryRouter(scheme));
    app.use(
      (
        err: { code?: number; status?: unknown },
        _req: express.Request,
        res: express.Response,
        _next: express.NextFunction,
      ) => {
        res.status(err.code ?? 500).json(err.status ?? { message: String(err) });
      },
    );
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => server.close();
  });
  after(() => close());

  it('/version reports minor 32', async () => {
    const body = (await (await fetch(`${base}/version`)).json()) as {
      major: string;
      minor: string;
      gitVersion: string;
    };
    assert.equal(body.major, '1');
    assert.equal(body.minor, '32');
    assert.match(body.gitVersion, /^v1\.32\./);
  });

  it('serves aggregated /apis with ETag, Vary and 304', async () => {
    const res = await fetch(`${base}/apis`, { headers: { accept: KUBECTL_ACCEPT } });
    assert.equal(res.status, 200);
    assert.equal(
      res.headers.get('content-type'),
      'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList',
    );
    assert.equal(res.headers.get('vary'), 'Accept');
    const etag = res.headers.get('etag')!;
    assert.match(etag, /^".+"$/);
    const doc = (await res.json()) as {
      kind: string;
      items: Array<{ metadata: { name: string } }>;
    };
    assert.equal(doc.kind, 'APIGroupDiscoveryList');
    assert.ok(doc.items.some((g) => g.metadata.name === 'apps'));
    const again = await fetch(`${base}/apis`, {
      headers: { accept: KUBECTL_ACCEPT, 'if-none-match': etag },
    });
    assert.equal(again.status, 304);
  });

  it('rebuilds when the scheme changes', async () => {
    const first = await fetch(`${base}/apis`, { headers: { accept: KUBECTL_ACCEPT } });
    const etag = first.headers.get('etag')!;
    scheme.add({ ...BUILTIN_RESOURCES.find((d) => d.kind === 'Job')! });
    try {
      const res = await fetch(`${base}/apis`, {
        headers: { accept: KUBECTL_ACCEPT, 'if-none-match': etag },
      });
      assert.equal(res.status, 200);
      const doc = (await res.json()) as { items: Array<{ metadata: { name: string } }> };
      assert.ok(doc.items.some((g) => g.metadata.name === 'batch'));
      const gv = await fetch(`${base}/apis/batch/v1`);
      assert.equal(gv.status, 200);
    } finally {
      scheme.remove('batch', 'v1', 'jobs');
    }
    assert.equal((await fetch(`${base}/apis/batch/v1`)).status, 404);
  });

  it('serves legacy documents and 404 Status for unknown group-versions', async () => {
    const api = (await (await fetch(`${base}/api`)).json()) as { kind: string; versions: string[] };
    assert.deepEqual([api.kind, api.versions], ['APIVersions', ['v1']]);
    const v1 = (await (await fetch(`${base}/api/v1`)).json()) as { groupVersion: string };
    assert.equal(v1.groupVersion, 'v1');
    const group = (await (await fetch(`${base}/apis/apps`)).json()) as {
      kind: string;
      preferredVersion: { version: string };
    };
    assert.deepEqual([group.kind, group.preferredVersion.version], ['APIGroup', 'v1']);
    const missing = await fetch(`${base}/apis/nope.example.com/v1`);
    assert.equal(missing.status, 404);
    const status = (await missing.json()) as { reason: string; message: string };
    assert.equal(status.reason, 'NotFound');
    assert.equal(status.message, 'the server could not find the requested resource');
  });
});
