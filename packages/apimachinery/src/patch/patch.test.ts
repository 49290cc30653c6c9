import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StatusError } from '../errors/index.js';
import { definitions } from './deployment-definitions.fixture.js';
import {
  applyJsonPatch,
  applyMergePatch,
  applyPatch,
  decodeMergePatch,
  MAX_JSON_PATCH_OPERATIONS,
  schemaPatchMeta,
} from './index.js';

const statusOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof StatusError, String(err));
    return err.status;
  }
  assert.fail('expected a StatusError');
};

const pod = () => ({
  metadata: { name: 'p', labels: { a: 'b' } },
  spec: { containers: [{ name: 'c', image: 'i:1' }] },
});

describe('JSON patch', () => {
  it('applies RFC 6902 operations without touching the input', () => {
    const before = pod();
    const out = applyJsonPatch(
      before,
      JSON.stringify([
        { op: 'test', path: '/metadata/name', value: 'p' },
        { op: 'replace', path: '/spec/containers/0/image', value: 'i:2' },
        { op: 'add', path: '/metadata/labels/x', value: 'y' },
        { op: 'remove', path: '/metadata/labels/a' },
      ]),
    );
    assert.deepEqual(out, {
      metadata: { name: 'p', labels: { x: 'y' } },
      spec: { containers: [{ name: 'c', image: 'i:2' }] },
    });
    assert.deepEqual(before, pod());
  });

  it('answers 422 when an operation does not apply', () => {
    for (const op of [
      { op: 'test', path: '/metadata/name', value: 'other' },
      { op: 'remove', path: '/metadata/missing' },
      { op: 'replace', path: '/nope/x', value: 1 },
      { op: 'frobnicate', path: '/x' },
    ]) {
      const st = statusOf(() => applyJsonPatch(pod(), JSON.stringify([op])));
      assert.equal(st.code, 422, op.op);
      assert.equal(st.reason, 'Invalid');
      assert.equal(st.message, 'the server rejected our request due to an error in our request');
    }
  });

  it('answers 400 for a body that is not a list of operations', () => {
    assert.equal(
      statusOf(() => applyJsonPatch(pod(), '{"op":"add"}')).message,
      'error decoding patch: json: cannot unmarshal object into Go value of type []handlers.jsonPatchOp',
    );
    assert.equal(
      statusOf(() => applyJsonPatch(pod(), '[1]')).message,
      'error decoding patch: json: cannot unmarshal number into Go value of type handlers.jsonPatchOp',
    );
    const st = statusOf(() => applyJsonPatch(pod(), '[{'));
    assert.equal(st.code, 400);
    assert.equal(st.reason, 'BadRequest');
    assert.match(st.message!, /^error decoding patch: /);
    assert.match(
      statusOf(() => applyJsonPatch(pod(), 'nope')).message!,
      /^error decoding patch: invalid character '/,
    );
    assert.deepEqual(applyJsonPatch(pod(), 'null'), pod());
  });

  it('caps the number of operations with 413', () => {
    const ops = Array.from({ length: MAX_JSON_PATCH_OPERATIONS + 1 }, () => ({
      op: 'test',
      path: '/metadata/name',
      value: 'p',
    }));
    const st = statusOf(() => applyJsonPatch(pod(), JSON.stringify(ops)));
    assert.equal(st.code, 413);
    assert.equal(
      st.message,
      'Request entity too large: The allowed maximum operations in a JSON patch is 10000, got 10001',
    );
  });
});

describe('merge patch', () => {
  it('follows RFC 7386', () => {
    const target = { a: 'b', c: { d: 'e', f: 'g' }, list: [1, 2] };
    const out = applyMergePatch(target, {
      a: 'z',
      c: { f: null, n: { x: null, y: 1 } },
      list: [3],
    });
    assert.deepEqual(out, { a: 'z', c: { d: 'e', n: { y: 1 } }, list: [3] });
    assert.deepEqual(target, { a: 'b', c: { d: 'e', f: 'g' }, list: [1, 2] });
  });

  it('keeps a "__proto__" key as data', () => {
    const out = applyMergePatch({}, decodeMergePatch('{"__proto__":{"polluted":true}}'));
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(Object.getPrototypeOf(out), Object.prototype);
    assert.equal(JSON.stringify(out), '{"__proto__":{"polluted":true}}');
  });

  it('rejects non-object bodies with 400', () => {
    assert.equal(
      statusOf(() => decodeMergePatch('[1]')).message,
      'error decoding patch: json: cannot unmarshal array into Go value of type map[string]interface {}',
    );
    assert.equal(statusOf(() => decodeMergePatch('null')).message, 'Invalid JSON Patch');
    assert.equal(
      statusOf(() => decodeMergePatch('{')).message,
      'error decoding patch: unexpected end of JSON input',
    );
  });
});

describe('applyPatch', () => {
  const meta = schemaPatchMeta(definitions, 'io.k8s.api.apps.v1.Deployment');
  const deploy = () => ({
    spec: {
      template: {
        spec: {
          containers: [
            { name: 'a', image: '1' },
            { name: 'b', image: '1' },
          ],
        },
      },
    },
  });

  it('dispatches on the content type, ignoring parameters', () => {
    const body = '{"spec":{"template":{"spec":{"containers":[{"name":"b","image":"2"}]}}}}';
    const smp = applyPatch(
      'application/strategic-merge-patch+json; charset=utf-8',
      deploy(),
      body,
      meta,
    );
    assert.deepEqual(smp, {
      spec: {
        template: {
          spec: {
            containers: [
              { name: 'a', image: '1' },
              { name: 'b', image: '2' },
            ],
          },
        },
      },
    });
    const merge = applyPatch('application/merge-patch+json', deploy(), body, meta);
    assert.deepEqual(merge, {
      spec: { template: { spec: { containers: [{ name: 'b', image: '2' }] } } },
    });
    const json = applyPatch(
      'application/json-patch+json',
      deploy(),
      '[{"op":"remove","path":"/spec"}]',
      meta,
    );
    assert.deepEqual(json, {});
  });

  it('answers 415 for other types, and for strategic merge on custom resources', () => {
    const st = statusOf(() => applyPatch('text/plain', deploy(), '{}', meta));
    assert.equal(st.code, 415);
    assert.equal(st.reason, 'UnsupportedMediaType');
    assert.equal(
      st.message,
      'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, ' +
        'application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml',
    );
    const crd = statusOf(() =>
      applyPatch('application/strategic-merge-patch+json', {}, '{}', undefined),
    );
    assert.equal(crd.code, 415);
    assert.ok(!crd.message!.includes('strategic'));
  });

  it('answers 400 for strategic merge bodies that are not objects', () => {
    assert.equal(
      statusOf(() => applyPatch('application/strategic-merge-patch+json', {}, '[]', meta)).message,
      'json: cannot unmarshal array into Go value of type map[string]interface {}',
    );
    assert.equal(
      statusOf(() => applyPatch('application/strategic-merge-patch+json', {}, '{"a":', meta)).code,
      400,
    );
  });
});
