import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '@splitplane/scheme';
import { mapLister } from '../builtin-support/index.js';
import { limitRangeLister } from './factory.js';

const lr = (namespace: string): KubeObject => ({ metadata: { name: 'lr', namespace } });

describe('LimitRanger lister', () => {
  it('answers from the cache when it has LimitRanges, live once when it has none', async () => {
    const cache = mapLister([lr('a')]);
    const live: string[] = [];
    let t = 0;
    const lister = limitRangeLister(
      cache,
      async (ns) => {
        live.push(ns);
        return [lr(ns)];
      },
      () => t,
    );
    assert.equal((await lister.list('a')).length, 1);
    assert.deepEqual(live, []);
    assert.equal((await lister.list('b')).length, 1);
    assert.equal((await lister.list('b')).length, 1);
    assert.deepEqual(live, ['b']);
    t = 31_000;
    await lister.list('b');
    assert.deepEqual(live, ['b', 'b']);
  });
});
