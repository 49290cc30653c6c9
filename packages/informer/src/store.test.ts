import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '@splitplane/scheme';
import { IndexedStore, NAMESPACE_INDEX, UnknownIndexError } from './store.js';

const obj = (namespace: string, name: string, node?: string): KubeObject => ({
  metadata: { namespace, name },
  ...(node ? { spec: { nodeName: node } } : {}),
});
const names = (list: KubeObject[]) => list.map((o) => o.metadata!.name).sort();

describe('IndexedStore', () => {
  it('gets, lists and indexes by namespace', () => {
    const store = new IndexedStore();
    store.set(obj('a', 'x'));
    store.set(obj('a', 'y'));
    store.set(obj('b', 'x'));
    assert.equal(store.size, 3);
    assert.equal(store.get('b', 'x')?.metadata?.namespace, 'b');
    assert.equal(store.get('c', 'x'), undefined);
    assert.deepEqual(names(store.byIndex(NAMESPACE_INDEX, 'a')), ['x', 'y']);
    store.delete('a/x');
    assert.deepEqual(names(store.byIndex(NAMESPACE_INDEX, 'a')), ['y']);
    assert.deepEqual(store.byIndex(NAMESPACE_INDEX, 'zzz'), []);
  });

  it('re-indexes on update and survives an indexer that throws', () => {
    const store = new IndexedStore({
      node: (o) => {
        const node = (o.spec as { nodeName?: string } | undefined)?.nodeName;
        if (node === 'bad') throw new Error('boom');
        return node ? [node] : [];
      },
    });
    store.set(obj('a', 'p', 'n1'));
    store.set(obj('a', 'q', 'n1'));
    assert.deepEqual(names(store.byIndex('node', 'n1')), ['p', 'q']);
    store.set(obj('a', 'p', 'n2'));
    assert.deepEqual(names(store.byIndex('node', 'n1')), ['q']);
    assert.deepEqual(names(store.byIndex('node', 'n2')), ['p']);
    store.set(obj('a', 'q', 'bad'));
    assert.deepEqual(store.byIndex('node', 'n1'), []);
    assert.equal(store.get('a', 'q')?.metadata?.name, 'q');
    assert.throws(() => store.byIndex('nope', 'x'), UnknownIndexError);
  });

  it('keys cluster-scoped objects by name alone', () => {
    const store = new IndexedStore();
    store.set({ metadata: { name: 'node-1' } });
    assert.equal(store.get('', 'node-1')?.metadata?.name, 'node-1');
    assert.deepEqual(names(store.byIndex(NAMESPACE_INDEX, '')), ['node-1']);
  });
});
