import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StatusError } from '../errors/index.js';
import type { SelectableResource } from '../fields/attributes.js';
import { filterFor } from './object-filter.js';

const pods: SelectableResource = {
  group: '',
  kind: 'Pod',
  namespaced: true,
  selectableFields: ['spec.nodeName', 'status.phase'],
};
const pod = (name: string, node: string, labels: Record<string, string> = {}) => ({
  metadata: { name, namespace: 'default', labels },
  spec: { nodeName: node },
});

describe('filterFor', () => {
  it('matches everything without selectors', () => {
    const f = filterFor(pods, '', '');
    assert.equal(f.everything, true);
    assert.equal(f.name, undefined);
    assert.equal(f.matches(pod('a', 'n1')), true);
  });

  it('combines label and field selectors', () => {
    const f = filterFor(pods, 'app=web', 'spec.nodeName=n1');
    assert.equal(f.everything, false);
    assert.equal(f.matches(pod('a', 'n1', { app: 'web' })), true);
    assert.equal(f.matches(pod('a', 'n2', { app: 'web' })), false);
    assert.equal(f.matches(pod('a', 'n1', { app: 'db' })), false);
  });

  it("applies kube's field aliases (spec.host is spec.nodeName)", () => {
    const f = filterFor(pods, '', 'spec.host=n1');
    assert.equal(f.matches(pod('a', 'n1')), true);
    assert.equal(f.matches(pod('a', 'n2')), false);
  });

  it('exposes the exact name of a single-object selector', () => {
    assert.equal(filterFor(pods, '', 'metadata.name=a').name, 'a');
    assert.equal(filterFor(pods, '', 'metadata.name!=a').name, undefined);
  });

  it('rejects unsupported fields with a 400', () => {
    assert.throws(
      () => filterFor(pods, '', 'spec.bogus=1'),
      (err: unknown) => err instanceof StatusError && err.status.code === 400,
    );
  });
});
