import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { BUILTIN_RESOURCES, Scheme } from '@splitplane/scheme';
import express from 'express';
import { acceptsOpenApiJson, openapiRouter } from './router.js';

type Json = Record<string, any>;

describe('openapi router over HTTP', () => {
  const scheme = new Scheme(BUILTIN_RESOURCES.filter((d) => d.group !== 'batch'));
  let base = '';
  let close: () => void = () => {};

  before(async () => {
    const app = express();
    app.use(openapiRouter(scheme));
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

  it('v3 index lists every group-version with a hash URL', async () => {
    const res = await fetch(`${base}/openapi/v3`);
    assert.equal(res.status, 200);
    const index = (await res.json()) as { paths: Record<string, { serverRelativeURL: string }> };
    assert.match(
      index.paths['apis/apps/v1']!.serverRelativeURL,
      /^\/openapi\/v3\/apis\/apps\/v1\?hash=[0-9A-F]+$/,
    );
    assert.ok(index.paths['api/v1']);
    assert.equal(index.paths['apis/batch/v1'], undefined);
  });

  it('serves apps/v1 with Deployment schemas, explain-ready descriptions and patch params', async () => {
    const index = (await (await fetch(`${base}/openapi/v3`)).json()) as {
      paths: Record<string, { serverRelativeURL: string }>;
    };
    const url = index.paths['apis/apps/v1']!.serverRelativeURL;
    const res = await fetch(`${base}${url}`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('cache-control')!, /immutable/);
    const doc = (await res.json()) as Json;
    assert.equal(doc.openapi, '3.0.0');
    const schemas = doc.components.schemas as Json;
    const deployment = schemas['io.k8s.api.apps.v1.Deployment'];
    assert.deepEqual(deployment['x-kubernetes-group-version-kind'], [
      { group: 'apps', kind: 'Deployment', version: 'v1' },
    ]);
    assert.ok(schemas['io.k8s.api.apps.v1.DeploymentSpec'].properties.template.description);
    assert.ok(schemas['io.k8s.api.core.v1.PodTemplateSpec']);
    const patch = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'].patch;
    assert.ok(patch.parameters.some((p: Json) => p.name === 'fieldValidation'));
    assert.ok(doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale']);

    const etag = res.headers.get('etag')!;
    const cached = await fetch(`${base}${url}`, { headers: { 'if-none-match': etag } });
    assert.equal(cached.status, 304);
    const stale = await fetch(`${base}/openapi/v3/apis/apps/v1?hash=ABC`, { redirect: 'manual' });
    assert.equal(stale.status, 301);
    assert.equal(stale.headers.get('location'), url);
    const plain = await fetch(`${base}/openapi/v3/apis/apps/v1`);
    assert.equal(plain.headers.get('cache-control'), 'no-cache, private');
  });

  it('404 for unknown group-versions, 406 for protobuf-only clients', async () => {
    const missing = await fetch(`${base}/openapi/v3/apis/nope.io/v1`);
    assert.equal(missing.status, 404);
    assert.equal(((await missing.json()) as Json).reason, 'NotFound');
    const pb = await fetch(`${base}/openapi/v2`, {
      headers: { accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf' },
    });
    assert.equal(pb.status, 406);
    await pb.arrayBuffer();
  });

  it('v2 is swagger 2.0 with definitions and ETag', async () => {
    const res = await fetch(`${base}/openapi/v2`, { headers: { accept: 'application/json' } });
    assert.equal(res.status, 200);
    const doc = (await res.json()) as Json;
    assert.equal(doc.swagger, '2.0');
    assert.ok(doc.definitions['io.k8s.api.apps.v1.Deployment']);
    assert.ok(doc.paths['/api/v1/namespaces/{namespace}/pods']);
    const again = await fetch(`${base}/openapi/v2`, {
      headers: { 'if-none-match': res.headers.get('etag')! },
    });
    assert.equal(again.status, 304);
  });

  it('rebuilds when a resource is added', async () => {
    scheme.add({ ...BUILTIN_RESOURCES.find((d) => d.kind === 'Job')! });
    try {
      const index = (await (await fetch(`${base}/openapi/v3`)).json()) as {
        paths: Record<string, unknown>;
      };
      assert.ok(index.paths['apis/batch/v1']);
    } finally {
      scheme.remove('batch', 'v1', 'jobs');
    }
  });

  it('accepts json-bearing Accept headers', () => {
    assert.equal(acceptsOpenApiJson(undefined, 'x'), true);
    assert.equal(
      acceptsOpenApiJson(
        'application/com.github.proto-openapi.spec.v2@v1.0+protobuf, application/json',
        'x',
      ),
      true,
    );
  });
});
