import assert from 'node:assert/strict';
import { test } from 'node:test';
import protobuf from 'protobufjs';
import {
  decodeObject,
  encodeObject,
  hasProtobufMessage,
  PROTOBUF_CONTENT_TYPE,
  ProtobufDecodeError,
  ProtobufEncodeError,
} from './index.js';
import { fixture } from './test-fixtures.js';

/** Wraps a message body in the k8s\0 envelope by hand. */
function envelope(apiVersion: string, kind: string, raw: Uint8Array): Uint8Array {
  const w = protobuf.Writer.create();
  w.uint32((1 << 3) | 2)
    .fork()
    .uint32((1 << 3) | 2)
    .string(apiVersion)
    .uint32((2 << 3) | 2)
    .string(kind)
    .ldelim();
  w.uint32((2 << 3) | 2).bytes(raw);
  return Buffer.concat([Buffer.from('k8s\0', 'latin1'), w.finish()]);
}

const roundTrip = (obj: Record<string, unknown>): Record<string, unknown> =>
  decodeObject(encodeObject(obj)).object;

test('content type constant', () => {
  assert.equal(PROTOBUF_CONTENT_TYPE, 'application/vnd.kubernetes.protobuf');
});

test('hasProtobufMessage knows built-in kinds and nothing else', () => {
  assert.equal(hasProtobufMessage('apps/v1', 'Deployment'), true);
  assert.equal(hasProtobufMessage('rbac.authorization.k8s.io/v1', 'ClusterRole'), true);
  assert.equal(hasProtobufMessage('authorization.k8s.io/v1', 'SelfSubjectAccessReview'), true);
  assert.equal(hasProtobufMessage('v1', 'Status'), true);
  assert.equal(hasProtobufMessage('apps/v1', 'DeleteOptions'), true);
  assert.equal(hasProtobufMessage('apiextensions.k8s.io/v1', 'CustomResourceDefinition'), true);
  assert.equal(hasProtobufMessage('apiregistration.k8s.io/v1', 'APIService'), true);
  assert.equal(hasProtobufMessage('meta.k8s.io/v1', 'PartialObjectMetadataList'), true);
  assert.equal(hasProtobufMessage('meta.k8s.io/v1', 'Table'), false);
  assert.equal(hasProtobufMessage('example.com/v1', 'Widget'), false);
  assert.equal(hasProtobufMessage('example.com/v1', 'Status'), false);
  assert.equal(hasProtobufMessage('apps/v1', 'Pod'), false);
});

test('Go zero values: value fields appear, nil pointers and slices do not', () => {
  const obj = roundTrip({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' } });
  assert.deepStrictEqual(obj, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'x', creationTimestamp: null },
    spec: {
      selector: null,
      template: { metadata: { creationTimestamp: null }, spec: { containers: null } },
      strategy: {},
    },
    status: {},
  });
});

test('pointer fields keep explicit zero values', () => {
  const obj = roundTrip({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'x', generation: 0, labels: {} },
    spec: { replicas: 0, paused: false, minReadySeconds: 0 },
  });
  const spec = obj['spec'] as Record<string, unknown>;
  assert.equal(spec['replicas'], 0);
  // paused and minReadySeconds are omitempty value fields: zero drops them, as in Go.
  assert.equal('paused' in spec, false);
  assert.equal('minReadySeconds' in spec, false);
  const metadata = obj['metadata'] as Record<string, unknown>;
  assert.equal('generation' in metadata, false);
  assert.equal('labels' in metadata, false);
});

test('IntOrString, Quantity, bytes and inline structs', () => {
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', creationTimestamp: '2024-01-02T03:04:05Z' },
    spec: {
      containers: [
        {
          name: 'c',
          resources: { limits: { cpu: '2', memory: '1Gi' } },
          livenessProbe: { tcpSocket: { port: 8080 }, initialDelaySeconds: 1 },
          readinessProbe: { httpGet: { path: '/', port: 'http' } },
        },
      ],
      volumes: [{ name: 'v', secret: { secretName: 's', defaultMode: 420 } }],
    },
  };
  const spec = roundTrip(pod)['spec'] as Record<string, any>;
  assert.deepStrictEqual(spec['containers'][0].resources, { limits: { cpu: '2', memory: '1Gi' } });
  assert.deepStrictEqual(spec['containers'][0].livenessProbe.tcpSocket, { port: 8080 });
  assert.deepStrictEqual(spec['containers'][0].readinessProbe.httpGet, { path: '/', port: 'http' });
  // VolumeSource is embedded inline in Volume: its fields sit beside "name".
  assert.deepStrictEqual(spec['volumes'], [
    { name: 'v', secret: { secretName: 's', defaultMode: 420 } },
  ]);

  const secret = roundTrip({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 's' },
    data: { k: 'AAEC/w==', e: '' },
  });
  assert.deepStrictEqual(secret['data'], { e: '', k: 'AAEC/w==' });
});

test('MicroTime keeps microseconds and Time drops sub-seconds', () => {
  const lease = roundTrip({
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name: 'l', creationTimestamp: '2024-01-02T03:04:05.999+02:00' },
    spec: { renewTime: '2024-01-02T03:04:05.123456789Z' },
  });
  assert.equal((lease['metadata'] as any).creationTimestamp, '2024-01-02T01:04:05Z');
  assert.equal((lease['spec'] as any).renewTime, '2024-01-02T03:04:05.123456Z');
});

test('RawExtension carries embedded JSON, or an embedded protobuf object', () => {
  const revision = {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: { name: 'r', creationTimestamp: null },
    data: { spec: { template: { x: [1, 'two', null, true] } } },
    revision: 2,
  };
  assert.deepStrictEqual(roundTrip(revision), revision);

  // A protobuf client may put an enveloped object in the RawExtension instead.
  const inner = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'c', creationTimestamp: null },
    data: { a: 'b' },
  };
  const body = protobuf.Writer.create();
  body
    .uint32((1 << 3) | 2)
    .fork()
    .uint32((1 << 3) | 2)
    .string('r')
    .ldelim();
  body
    .uint32((2 << 3) | 2)
    .fork()
    .uint32((1 << 3) | 2)
    .bytes(encodeObject(inner))
    .ldelim();
  body.uint32((3 << 3) | 0).int64(2);
  const decoded = decodeObject(envelope('apps/v1', 'ControllerRevision', body.finish())).object;
  assert.deepStrictEqual(decoded, { ...revision, data: inner });
});

test('decode errors are ProtobufDecodeError', () => {
  const good = fixture('deployment').pb;
  assert.throws(() => decodeObject(Uint8Array.of(1, 2, 3)), ProtobufDecodeError);
  assert.throws(() => decodeObject(Buffer.from('{"kind":"Pod"}')), ProtobufDecodeError);
  assert.throws(() => decodeObject(good.subarray(0, good.length - 10)), ProtobufDecodeError);
  const unknownKind = encodeObject({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'x' },
  });
  const renamed = Buffer.from(unknownKind);
  renamed.write('ConfigMop', Buffer.from(unknownKind).indexOf('ConfigMap'));
  assert.throws(
    () => decodeObject(renamed),
    (err: unknown) => err instanceof ProtobufDecodeError && /ConfigMop/.test(err.message),
  );
});

test('encode errors are ProtobufEncodeError', () => {
  assert.throws(
    () => encodeObject({ apiVersion: 'example.com/v1', kind: 'Widget', spec: {} }),
    ProtobufEncodeError,
  );
  assert.throws(() => encodeObject({ kind: 'Pod' }), ProtobufEncodeError);
  assert.throws(
    () => encodeObject({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 5 } }),
    (err: unknown) => err instanceof ProtobufEncodeError && /metadata\.name/.test(err.message),
  );
  assert.throws(
    () => encodeObject({ apiVersion: 'v1', kind: 'ConfigMap', data: ['x'] }),
    ProtobufEncodeError,
  );
});

test('decoding a typical Deployment takes well under 0.1 ms', () => {
  const pb = fixture('deployment').pb;
  for (let i = 0; i < 2000; i++) decodeObject(pb);
  const runs = 20000;
  const start = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) decodeObject(pb);
  const perDecodeMs = Number(process.hrtime.bigint() - start) / 1e6 / runs;
  assert.ok(perDecodeMs < 0.1, `decode took ${perDecodeMs.toFixed(4)} ms`);
  console.log(`# Deployment decode: ${(perDecodeMs * 1000).toFixed(1)} µs`);
});
