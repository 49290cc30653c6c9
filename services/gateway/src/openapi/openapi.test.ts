import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { BUILTIN_RESOURCES, Scheme } from '@splitplane/scheme';
import express from 'express';
import { gnosticV2Root } from '@splitplane/k8s-openapi';
import {
  OPENAPI_V2_PROTOBUF_RESPONSE,
  acceptsOpenApiJson,
  negotiateOpenApiV2,
  openapiRouter,
} from './router.js';

type Json = Record<string, any>;

const OPENAPI_V3_PB_ONLY = 'application/com.github.proto-openapi.spec.v3@v1.0+protobuf';

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

  it('404 for unknown group-versions, 406 for unsupported types', async () => {
    const missing = await fetch(`${base}/openapi/v3/apis/nope.io/v1`);
    assert.equal(missing.status, 404);
    assert.equal(((await missing.json()) as Json).reason, 'NotFound');
    for (const accept of ['application/yaml', 'text/html', OPENAPI_V3_PB_ONLY]) {
      const res = await fetch(`${base}/openapi/v2`, { headers: { accept } });
      assert.equal(res.status, 406, accept);
      assert.equal(((await res.json()) as Json).reason, 'NotAcceptable');
    }
    const v3pb = await fetch(`${base}/openapi/v3/apis/apps/v1`, {
      headers: { accept: OPENAPI_V3_PB_ONLY },
    });
    assert.equal(v3pb.status, 406);
    await v3pb.arrayBuffer();
  });

  it('v2 as gnostic protobuf for client-go and kubectl, with the JSON ETag', async () => {
    const json = await fetch(`${base}/openapi/v2`, { headers: { accept: 'application/json' } });
    const jsonEtag = json.headers.get('etag')!;
    const jsonDoc = (await json.json()) as Json;
    for (const accept of [
      'application/com.github.proto-openapi.spec.v2@v1.0+protobuf',
      'application/com.github.proto-openapi.spec.v2.v1.0+protobuf',
      'application/com.github.proto-openapi.spec.v2@v1.0+protobuf;q=0.9, application/json;q=0.5',
    ]) {
      const res = await fetch(`${base}/openapi/v2`, { headers: { accept } });
      assert.equal(res.status, 200, accept);
      assert.equal(res.headers.get('content-type'), OPENAPI_V2_PROTOBUF_RESPONSE);
      assert.equal(res.headers.get('vary'), 'Accept');
      assert.equal(res.headers.get('etag'), jsonEtag);
      const type = gnosticV2Root().lookupType('openapi.v2.Document');
      const doc = type.toObject(type.decode(new Uint8Array(await res.arrayBuffer()))) as Json;
      assert.equal(doc.swagger, '2.0');
      assert.equal(
        doc.definitions.additional_properties.length,
        Object.keys(jsonDoc.definitions).length,
      );
      assert.equal(doc.paths.path.length, Object.keys(jsonDoc.paths).length);
    }
    const again = await fetch(`${base}/openapi/v2`, {
      headers: { accept: OPENAPI_V2_PROTOBUF_RESPONSE, 'if-none-match': jsonEtag },
    });
    assert.equal(again.status, 304);
    await again.arrayBuffer();
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

  it('negotiates v2 as kube-openapi does', () => {
    assert.equal(negotiateOpenApiV2(undefined), 'json');
    assert.equal(negotiateOpenApiV2('*/*'), 'json');
    assert.equal(negotiateOpenApiV2('application/*'), 'json');
    assert.equal(
      negotiateOpenApiV2(
        'application/json, application/com.github.proto-openapi.spec.v2@v1.0+protobuf',
      ),
      'json',
    );
    assert.equal(
      negotiateOpenApiV2('text/plain, application/com.github.proto-openapi.spec.v2.v1.0+protobuf'),
      'protobuf',
    );
    assert.throws(
      () => negotiateOpenApiV2('application/yaml'),
      (e: { code: number }) => e.code === 406,
    );
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
