import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '@splitplane/scheme';
import { mapLister, testAttributes } from '../builtin-support/index.js';
import { DefaultIngressClassPlugin } from '../default-ingress-class/index.js';
import { DefaultStorageClassPlugin } from './plugin.js';

const cls = (
  name: string,
  created: string,
  annotations: Record<string, string> = {},
): KubeObject => ({
  metadata: { name, creationTimestamp: created, annotations },
});
const SC_DEFAULT = { 'storageclass.kubernetes.io/is-default-class': 'true' };
const IC_DEFAULT = { 'ingressclass.kubernetes.io/is-default-class': 'true' };
const ctx = () => ({ warnings: [], auditAnnotations: {} });

async function claim(classes: KubeObject[], pvc: KubeObject) {
  const plugin = new DefaultStorageClassPlugin({ storageClasses: mapLister(classes) });
  await plugin.admit(
    testAttributes({
      kind: 'PersistentVolumeClaim',
      resource: 'persistentvolumeclaims',
      object: pvc,
    }),
    ctx(),
  );
  return (pvc.spec as Record<string, unknown>).storageClassName;
}

async function ingress(classes: KubeObject[], ing: KubeObject) {
  const plugin = new DefaultIngressClassPlugin({ ingressClasses: mapLister(classes) });
  await plugin.admit(
    testAttributes({
      group: 'networking.k8s.io',
      kind: 'Ingress',
      resource: 'ingresses',
      object: ing,
    }),
    ctx(),
  );
  return (ing.spec as Record<string, unknown>).ingressClassName;
}

describe('DefaultStorageClass', () => {
  const classes = [
    cls('old', '2026-01-01T00:00:00Z', SC_DEFAULT),
    cls('new', '2026-02-01T00:00:00Z', SC_DEFAULT),
    cls('newest-plain', '2026-03-01T00:00:00Z'),
  ];
  it('sets the newest default class on a claim without one', async () => {
    assert.equal(await claim(classes, { metadata: { name: 'c' }, spec: {} }), 'new');
  });
  it('breaks a creation-time tie by name', async () => {
    const tie = [
      cls('b', '2026-01-01T00:00:00Z', SC_DEFAULT),
      cls('a', '2026-01-01T00:00:00Z', SC_DEFAULT),
    ];
    assert.equal(await claim(tie, { metadata: { name: 'c' }, spec: {} }), 'a');
  });
  it('honours the beta default annotation', async () => {
    const beta = [
      cls('beta', '2026-01-01T00:00:00Z', {
        'storageclass.beta.kubernetes.io/is-default-class': 'true',
      }),
    ];
    assert.equal(await claim(beta, { metadata: { name: 'c' }, spec: {} }), 'beta');
  });
  it('keeps an explicit class, even "", and the beta class annotation', async () => {
    assert.equal(
      await claim(classes, { metadata: { name: 'c' }, spec: { storageClassName: '' } }),
      '',
    );
    assert.equal(
      await claim(classes, { metadata: { name: 'c' }, spec: { storageClassName: 'x' } }),
      'x',
    );
    const annotated = {
      metadata: { name: 'c', annotations: { 'volume.beta.kubernetes.io/storage-class': 'x' } },
      spec: {},
    };
    assert.equal(await claim(classes, annotated), undefined);
  });
  it('leaves the claim alone without a default class', async () => {
    assert.equal(
      await claim([cls('plain', '2026-01-01T00:00:00Z')], { metadata: { name: 'c' }, spec: {} }),
      undefined,
    );
  });
});

describe('DefaultIngressClass', () => {
  const classes = [
    cls('nginx', '2026-01-01T00:00:00Z', IC_DEFAULT),
    cls('traefik', '2026-02-01T00:00:00Z', IC_DEFAULT),
  ];
  it('sets the newest default class', async () => {
    assert.equal(await ingress(classes, { metadata: { name: 'i' }, spec: {} }), 'traefik');
  });
  it('keeps an explicit class or the legacy annotation', async () => {
    assert.equal(
      await ingress(classes, { metadata: { name: 'i' }, spec: { ingressClassName: 'mine' } }),
      'mine',
    );
    const annotated = {
      metadata: { name: 'i', annotations: { 'kubernetes.io/ingress.class': 'x' } },
      spec: {},
    };
    assert.equal(await ingress(classes, annotated), undefined);
  });
  it('does nothing without a default', async () => {
    assert.equal(
      await ingress([cls('x', '2026-01-01T00:00:00Z')], { metadata: { name: 'i' }, spec: {} }),
      undefined,
    );
  });
});
