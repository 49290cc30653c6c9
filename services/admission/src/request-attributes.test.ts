import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StatusError } from '@splitplane/apimachinery';
import type { AdmissionRequest } from '@splitplane/proto';
import { decodeRequest } from './request-attributes.js';

function request(object: string, oldObject = ''): AdmissionRequest {
  return {
    uid: 'u',
    kind: { group: '', version: 'v1', kind: 'Pod' },
    resource: { group: '', version: 'v1', resource: 'pods' },
    subresource: '',
    name: 'p',
    namespace: 'default',
    operation: 'CREATE',
    user: { username: 'alice', uid: '', groups: [], extra: {} },
    object: Buffer.from(object),
    oldObject: Buffer.from(oldObject),
    dryRun: false,
    options: Buffer.alloc(0),
  };
}

const POD = JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } });

describe('decodeRequest', () => {
  it('parses nothing a plugin does not read', () => {
    // Not JSON at all: reading it would throw, so passing shows it was never parsed.
    const { attributes, changedObject } = decodeRequest(request('{not json', '{nor this'));
    assert.equal(attributes.resource.resource, 'pods');
    assert.equal(changedObject().length, 0);
  });

  it('returns the object only when a plugin changed it', () => {
    const read = decodeRequest(request(POD));
    assert.equal(read.attributes.object?.metadata?.name, 'p');
    assert.equal(read.changedObject().length, 0);

    const mutated = decodeRequest(request(POD));
    mutated.attributes.object!.metadata!.labels = { admitted: 'yes' };
    assert.deepEqual(JSON.parse(mutated.changedObject().toString()).metadata.labels, {
      admitted: 'yes',
    });

    const replaced = decodeRequest(request(POD));
    replaced.attributes.object = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'q' } };
    assert.equal(JSON.parse(replaced.changedObject().toString()).metadata.name, 'q');
  });

  it('reads the old object and options as JSON, and absent ones as undefined', () => {
    const { attributes } = decodeRequest(request(POD, POD));
    assert.equal(attributes.oldObject?.metadata?.name, 'p');
    assert.equal(attributes.options, undefined);
    assert.deepEqual(
      Object.keys({ ...attributes })
        .sort()
        .includes('oldObject'),
      true,
    );
  });

  it('a malformed object a plugin reads is a 400, and an unknown operation too', () => {
    const { attributes } = decodeRequest(request('{not json'));
    assert.throws(
      () => attributes.object,
      (err: unknown) => err instanceof StatusError && err.code === 400,
    );
    assert.throws(
      () => decodeRequest({ ...request(POD), operation: 'PATCH' }),
      (err: unknown) => err instanceof StatusError && err.code === 400,
    );
  });
});
