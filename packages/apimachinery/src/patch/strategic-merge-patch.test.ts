import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { definitions } from './deployment-definitions.fixture.js';
import { PatchError, applyStrategicMergePatch, patchMetaAt, schemaPatchMeta } from './index.js';

const deployment = schemaPatchMeta(definitions, 'io.k8s.api.apps.v1.Deployment');
const smp = (obj: object, patch: object) =>
  applyStrategicMergePatch(
    obj as Record<string, unknown>,
    patch as Record<string, unknown>,
    deployment,
  );
const podSpec = (spec: object) => ({ spec: { template: { spec } } });

function live() {
  return {
    metadata: { name: 'web', labels: { app: 'web', old: 'x' }, finalizers: ['a', 'b'] },
    spec: {
      replicas: 2,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%' } },
      template: {
        spec: {
          containers: [
            {
              name: 'app',
              image: 'app:v1',
              env: [
                { name: 'A', value: '1' },
                { name: 'B', value: '2' },
              ],
              ports: [{ containerPort: 80, protocol: 'TCP' }],
              terminationMessagePath: '/dev/termination-log',
            },
            { name: 'sidecar', image: 'side:v1' },
          ],
          volumes: [
            { name: 'v', configMap: { name: 'cm' } },
            { name: 'w', emptyDir: {} },
          ],
        },
      },
    },
  };
}

describe('schemaPatchMeta', () => {
  it('walks $ref, items and additionalProperties', () => {
    const lists = new Set(['containers', 'env', 'ports', 'volumes']);
    assert.deepEqual(patchMetaAt(deployment, ['spec', 'template', 'spec', 'containers'], lists), {
      patchStrategy: 'merge',
      patchMergeKey: 'name',
    });
    assert.deepEqual(
      patchMetaAt(deployment, ['spec', 'template', 'spec', 'containers', 'ports'], lists),
      {
        patchStrategy: 'merge',
        patchMergeKey: 'containerPort',
      },
    );
    assert.deepEqual(patchMetaAt(deployment, ['spec', 'template', 'spec', 'volumes'], lists), {
      patchStrategy: 'merge,retainKeys',
      patchMergeKey: 'name',
    });
    assert.deepEqual(patchMetaAt(deployment, ['metadata', 'finalizers']), {
      patchStrategy: 'merge',
    });
    assert.deepEqual(patchMetaAt(deployment, ['spec', 'strategy']), {
      patchStrategy: 'retainKeys',
    });
    assert.deepEqual(patchMetaAt(deployment, ['spec', 'nope', 'deeper']), {});
  });
});

describe('strategic merge patch', () => {
  it('applies what kubectl apply sends after editing a manifest', () => {
    // Manifest edit: new image, env B removed, port 443 added, label "old" removed.
    const patch = {
      metadata: { labels: { old: null, tier: 'front' } },
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'app' }],
            containers: [
              {
                '$setElementOrder/env': [{ name: 'A' }],
                '$setElementOrder/ports': [{ containerPort: 80 }, { containerPort: 443 }],
                env: [{ $patch: 'delete', name: 'B' }],
                image: 'app:v2',
                name: 'app',
                ports: [{ containerPort: 443 }],
              },
            ],
          },
        },
      },
    };
    const before = live();
    const out = smp(before, patch) as ReturnType<typeof live>;
    assert.deepEqual(out.metadata.labels, { app: 'web', tier: 'front' });
    assert.deepEqual(out.spec.template.spec.containers, [
      {
        name: 'app',
        image: 'app:v2',
        env: [{ name: 'A', value: '1' }],
        ports: [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 443 }],
        terminationMessagePath: '/dev/termination-log',
      },
      { name: 'sidecar', image: 'side:v1' },
    ]);
    assert.deepEqual(before, live(), 'inputs are not modified');
    assert.ok(!JSON.stringify(out).includes('$'), 'no directive survives');
  });

  it('honours $setElementOrder when the patch reorders and adds', () => {
    const patch = podSpec({
      '$setElementOrder/containers': [{ name: 'new' }, { name: 'app' }],
      containers: [{ name: 'new', image: 'n:1' }],
    });
    const out = smp(live(), patch) as ReturnType<typeof live>;
    assert.deepEqual(
      out.spec.template.spec.containers.map((c) => c.name),
      ['new', 'app', 'sidecar'],
    );
  });

  it('uses $retainKeys to switch a volume source and a deployment strategy', () => {
    const patch = {
      spec: {
        strategy: { $retainKeys: ['type'], rollingUpdate: null, type: 'Recreate' },
        template: {
          spec: {
            '$setElementOrder/volumes': [{ name: 'v' }, { name: 'w' }],
            volumes: [{ $retainKeys: ['name', 'secret'], name: 'v', secret: { secretName: 's' } }],
          },
        },
      },
    };
    const out = smp(live(), patch) as ReturnType<typeof live>;
    assert.deepEqual(out.spec.strategy, { type: 'Recreate' });
    assert.deepEqual(out.spec.template.spec.volumes, [
      { name: 'v', secret: { secretName: 's' } },
      { name: 'w', emptyDir: {} },
    ]);
  });

  it('merges primitive merge lists as sets, with deletions and ordering', () => {
    const out = smp(live(), {
      metadata: {
        '$setElementOrder/finalizers': ['b', 'c'],
        '$deleteFromPrimitiveList/finalizers': ['a'],
        finalizers: ['c'],
      },
    }) as ReturnType<typeof live>;
    assert.deepEqual(out.metadata.finalizers, ['b', 'c']);
    // Without an order directive kube puts new patch items first (its mergeSortedSlice).
    const plain = smp(live(), { metadata: { finalizers: ['c', 'a'] } }) as ReturnType<typeof live>;
    assert.deepEqual(plain.metadata.finalizers, ['c', 'a', 'b']);
  });

  it('replaces lists without a merge strategy and merges maps', () => {
    const out = smp(live(), {
      spec: {
        replicas: 3,
        template: {
          spec: { containers: [{ name: 'app', args: ['--x'] }], nodeSelector: { disk: 'ssd' } },
        },
      },
    }) as ReturnType<typeof live>;
    assert.equal(out.spec.replicas, 3);
    const app = out.spec.template.spec.containers[0] as Record<string, unknown>;
    assert.deepEqual(app.args, ['--x']);
    assert.equal(app.image, 'app:v1');
    const again = smp(out, podSpec({ containers: [{ name: 'app', args: ['--y'] }] })) as ReturnType<
      typeof live
    >;
    assert.deepEqual((again.spec.template.spec.containers[0] as Record<string, unknown>).args, [
      '--y',
    ]);
  });

  it('supports $patch: replace and $patch: delete', () => {
    const replaced = smp(
      live(),
      podSpec({ containers: [{ name: 'only', image: 'o' }, { $patch: 'replace' }] }),
    );
    assert.deepEqual((replaced as ReturnType<typeof live>).spec.template.spec.containers, [
      { name: 'only', image: 'o' },
    ]);
    const mapReplaced = smp(live(), { metadata: { labels: { $patch: 'replace', fresh: 'y' } } });
    assert.deepEqual((mapReplaced as ReturnType<typeof live>).metadata.labels, { fresh: 'y' });
    const mapDeleted = smp(live(), { spec: { strategy: { $patch: 'delete' } } });
    assert.deepEqual((mapDeleted as ReturnType<typeof live>).spec.strategy, {});
    const dropped = smp(live(), podSpec({ containers: [{ name: 'sidecar', $patch: 'delete' }] }));
    assert.deepEqual(
      (dropped as ReturnType<typeof live>).spec.template.spec.containers.map((c) => c.name),
      ['app'],
    );
  });

  it('adds new subtrees without directives or nulls', () => {
    const out = smp(
      { spec: {} },
      {
        spec: {
          template: {
            spec: {
              '$setElementOrder/containers': [{ name: 'a' }],
              containers: [
                { name: 'a', env: [{ name: 'X', value: null }], $retainKeys: ['name', 'env'] },
              ],
            },
          },
        },
      },
    );
    assert.deepEqual(out, {
      spec: { template: { spec: { containers: [{ name: 'a', env: [{ name: 'X' }] }] } } },
    });
  });

  it('keeps a "__proto__" key as data', () => {
    const out = smp({ metadata: {} }, JSON.parse('{"metadata":{"__proto__":{"polluted":true}}}'));
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(JSON.stringify(out), '{"metadata":{"__proto__":{"polluted":true}}}');
  });

  it('refuses lists of lists with 422', () => {
    assert.throws(
      () => smp({ metadata: { finalizers: [] } }, { metadata: { finalizers: [['x']] } }),
      {
        code: 422,
        message: 'the server rejected our request due to an error in our request',
      },
    );
  });

  it('rejects malformed directives with kube statuses', () => {
    const cases: Array<[object, number, string | RegExp]> = [
      [
        podSpec({ containers: [{ $patch: 'merge' }] }),
        400,
        'merging lists cannot yet be specified in the patch',
      ],
      [
        { metadata: { labels: { $patch: 'bogus' } } },
        400,
        'unknown patch type: bogus in map: map[$patch:bogus]',
      ],
      [
        podSpec({ containers: [{ image: 'x' }] }),
        400,
        'map: map[image:x] does not contain declared merge key: name',
      ],
      [{ spec: { strategy: { $retainKeys: 'type' } } }, 400, 'invalid patch format of retainKeys'],
      [
        { spec: { strategy: { $retainKeys: ['type'], other: 1 } } },
        400,
        'invalid patch format of retainKeys',
      ],
      [
        { metadata: { '$deleteFromPrimitiveList-finalizers': ['a'] } },
        400,
        'invalid patch format of primitive list',
      ],
      [{ metadata: { finalizers: [['x']] } }, 400, /^list element types are not identical/],
      [
        {
          metadata: { ownerReferences: [{ uid: 'u' }] },
          spec: { template: { spec: { imagePullSecrets: [1, { name: 'x' }] } } },
        },
        400,
        /list element types are not identical/,
      ],
    ];
    for (const [patch, code, message] of cases) {
      const base = live() as Record<string, unknown>;
      (
        base.spec as { template: { spec: Record<string, unknown> } }
      ).template.spec.imagePullSecrets = [{ name: 'p' }];
      (base.metadata as Record<string, unknown>).ownerReferences = [{ uid: 'u0' }];
      assert.throws(
        () => applyStrategicMergePatch(base, patch as Record<string, unknown>, deployment),
        (err: unknown) => {
          assert.ok(err instanceof PatchError, JSON.stringify(patch));
          assert.equal(err.code, code, JSON.stringify(patch));
          if (typeof message === 'string') assert.equal(err.message, message);
          else assert.match(err.message, message);
          return true;
        },
      );
    }
  });
});
