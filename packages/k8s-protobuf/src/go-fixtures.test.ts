import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeObject, encodeObject } from './index.js';
import { allFixtures } from './test-fixtures.js';

const fixtures = allFixtures();

test('the Go fixtures are all there', () => {
  const names = fixtures.map((f) => f.name);
  for (const expected of [
    'namespace',
    'configmap',
    'secret',
    'deployment',
    'service',
    'job',
    'cronjob',
    'role',
    'clusterrolebinding',
    'selfsubjectaccessreview',
    'pod',
    'lease',
    'event',
    'customresourcedefinition',
    'configmaplist',
    'status',
  ]) {
    assert.ok(names.includes(expected), `missing fixture ${expected}`);
  }
});

for (const { name, pb, json } of fixtures) {
  test(`${name}: decode(Go protobuf) equals Go's JSON`, () => {
    const decoded = decodeObject(pb);
    assert.equal(decoded.apiVersion, json['apiVersion']);
    assert.equal(decoded.kind, json['kind']);
    assert.deepStrictEqual(decoded.object, json);
  });

  test(`${name}: encode(Go's JSON) is byte-identical to Go's protobuf`, () => {
    assert.deepStrictEqual(Buffer.from(encodeObject(json)), Buffer.from(pb));
  });
}
