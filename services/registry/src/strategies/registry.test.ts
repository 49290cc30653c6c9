import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BUILTIN_RESOURCES, type KubeObject, type ResourceDefinition } from '@splitplane/scheme';
import { hasSpecificStrategy, strategyFor } from './registry.js';

test('every built-in resource has its own strategy', () => {
  const missing = BUILTIN_RESOURCES.filter((d) => !hasSpecificStrategy(d)).map(
    (d) => `${d.group}/${d.kind}`,
  );
  assert.deepEqual(missing, []);
  for (const def of BUILTIN_RESOURCES) assert.equal(strategyFor(def), strategyFor(def), 'cached');
});

test('unknown kinds get the generic strategy: metadata rules and generation tracking', () => {
  const def: ResourceDefinition = {
    ...BUILTIN_RESOURCES.find((d) => d.kind === 'ConfigMap')!,
    group: 'example.com',
    kind: 'Widget',
    plural: 'widgets',
    subresources: { status: true },
  };
  const s = strategyFor(def);
  const w: KubeObject = {
    apiVersion: 'example.com/v1',
    kind: 'Widget',
    metadata: { name: 'w', namespace: 'default' },
    spec: { size: 1 },
    status: { ok: true },
  };
  s.prepareForCreate(w);
  assert.equal(w.metadata?.generation, 1);
  assert.equal('status' in w, false);
  assert.deepEqual(s.validate(w), []);
  assert.deepEqual(
    s.validate({ metadata: { name: 'Bad_Name', namespace: 'default' } }).map((e) => e.field),
    ['metadata.name'],
  );
  const old: KubeObject = {
    ...w,
    metadata: { ...w.metadata, resourceVersion: '3', generation: 1 },
  };
  const upd: KubeObject = { ...old, metadata: { ...old.metadata }, spec: { size: 2 } };
  s.prepareForUpdate(upd, old);
  assert.equal(upd.metadata?.generation, 2);
});

test('validation never throws on wrongly-typed input', () => {
  const junk: unknown[] = [
    null,
    'x',
    7,
    [],
    { containers: 'no' },
    { template: 5, selector: 'a' },
    { ports: {} },
  ];
  for (const def of BUILTIN_RESOURCES) {
    const s = strategyFor(def);
    for (const spec of junk) {
      const o = {
        metadata: { name: 'n', namespace: def.namespaced ? 'default' : undefined, uid: 'u' },
        spec,
        data: spec,
        rules: spec,
        subsets: spec,
      };
      assert.doesNotThrow(
        () => {
          s.applyDefaults(o);
          s.prepareForCreate(o);
          s.validate(o);
          s.warningsOnCreate?.(o);
        },
        `${def.kind} with ${JSON.stringify(spec)}`,
      );
    }
  }
});
