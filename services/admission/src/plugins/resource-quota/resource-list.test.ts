import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  add,
  equals,
  lessThanOrEqual,
  mask,
  parseResourceList,
  prettyPrint,
  quantityOf,
  subtractNonNegative,
  toJson,
  ZERO,
} from './resource-list.js';

describe('resource lists', () => {
  it('adds keeping the first non-zero operand format, as kube prints usage', () => {
    const used = add({ memory: ZERO }, parseResourceList({ memory: '128Mi' }));
    const more = add(used, parseResourceList({ memory: '128Mi' }));
    assert.deepEqual(toJson(more), { memory: '256Mi' });
    const cpu = add(parseResourceList({ cpu: '100m' }), parseResourceList({ cpu: '0.9' }));
    assert.deepEqual(toJson(cpu), { cpu: '1' });
    assert.deepEqual(toJson(add({}, { pods: quantityOf(1) })), { pods: '1' });
  });

  it('subtracts without going below zero', () => {
    const d = subtractNonNegative(
      parseResourceList({ cpu: '1', pods: '1' }),
      parseResourceList({ cpu: '2', pods: '1' }),
    );
    assert.deepEqual(toJson(d), { cpu: '0', pods: '0' });
  });

  it('compares only what both sides have and names what is over', () => {
    const r = lessThanOrEqual(
      parseResourceList({ pods: '11', cpu: '1' }),
      parseResourceList({ pods: '10', memory: '1Gi', cpu: '2' }),
    );
    assert.deepEqual(r, { allowed: false, exceeded: ['pods'] });
  });

  it('masks, compares and prints sorted', () => {
    const l = parseResourceList({ 'requests.cpu': '500m', pods: '1', memory: '1Gi' });
    assert.equal(prettyPrint(l), 'memory=1Gi,pods=1,requests.cpu=500m');
    assert.deepEqual(Object.keys(mask(l, ['pods', 'nope'])), ['pods']);
    assert.ok(equals(parseResourceList({ cpu: '1000m' }), parseResourceList({ cpu: '1' })));
    assert.ok(!equals(parseResourceList({ cpu: '1' }), parseResourceList({ cpu: '1', pods: '0' })));
  });
});
