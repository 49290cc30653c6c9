import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '@splitplane/scheme';
import { toJson } from '../resource-list.js';
import { container, pod, quota } from '../test-helpers.js';
import { persistentVolumeClaimEvaluator } from './persistent-volume-claims.js';
import { podEvaluator } from './pods.js';
import { quotaMatches } from './quota-object.js';
import { evaluatorFor, resourceOfQuotaName } from './registry.js';
import { serviceEvaluator } from './services.js';
import { calculateUsage } from './usage.js';

describe('pod evaluator', () => {
  it('charges count, pods and compute from requests and limits (cpu/memory aliases)', () => {
    const p = pod('p', {
      containers: [
        container('a', { cpu: '100m', memory: '64Mi' }, { cpu: '200m', memory: '128Mi' }),
        container('b', { cpu: '400m', 'ephemeral-storage': '1Gi' }),
      ],
    });
    assert.deepEqual(toJson(podEvaluator.usage(p)), {
      'count/pods': '1',
      cpu: '500m',
      'ephemeral-storage': '1Gi',
      'limits.cpu': '200m',
      'limits.memory': '128Mi',
      memory: '64Mi',
      pods: '1',
      'requests.cpu': '500m',
      'requests.ephemeral-storage': '1Gi',
      'requests.memory': '64Mi',
    });
  });

  it('takes init containers at their peak and adds sidecars and overhead', () => {
    const p = pod('p', {
      containers: [container('a', { cpu: '1' })],
      initContainers: [
        { ...container('sidecar', { cpu: '500m' }), restartPolicy: 'Always' },
        container('init', { cpu: '2' }),
      ],
      overhead: { cpu: '100m' },
    });
    // max(1 + 0.5, 2 + 0.5) + 0.1
    assert.equal(toJson(podEvaluator.usage(p))['requests.cpu'], '2600m');
  });

  it('charges only count/pods for terminal pods and pods past their grace period', () => {
    for (const phase of ['Succeeded', 'Failed'])
      assert.deepEqual(toJson(podEvaluator.usage(pod('p', {}, { phase }))), {
        'count/pods': '1',
      });
    const deleting: KubeObject = {
      ...pod('p'),
      metadata: {
        name: 'p',
        deletionTimestamp: '2020-01-01T00:00:00Z',
        deletionGracePeriodSeconds: 30,
      },
    };
    assert.deepEqual(toJson(podEvaluator.usage(deleting, new Date('2020-01-01T00:01:00Z'))), {
      'count/pods': '1',
    });
    assert.equal(
      toJson(podEvaluator.usage(deleting, new Date('2020-01-01T00:00:10Z')))['pods'],
      '1',
    );
  });

  it('demands explicit cpu/memory with kube’s message, containers and resources sorted', () => {
    const p = pod('p', {
      containers: [container('web', { memory: '1Mi' }), container('app')],
      initContainers: [container('init', { cpu: '1' })],
    });
    assert.equal(
      podEvaluator.constraints(['requests.cpu', 'limits.memory', 'pods'], p),
      'must specify limits.memory for: app,init,web; requests.cpu for: app,web',
    );
    assert.equal(podEvaluator.constraints(['pods', 'requests.storage'], p), undefined);
  });

  it('matches the pod scopes', () => {
    const be = pod('p');
    const burst = pod('q', { containers: [container('c', { cpu: '1' })] });
    const term = pod('t', { activeDeadlineSeconds: 10, priorityClassName: 'high' });
    const s = (scopeName: string, operator = 'Exists', values?: string[]) => ({
      scopeName,
      operator,
      ...(values ? { values } : {}),
    });
    assert.ok(podEvaluator.matchesScope(s('BestEffort'), be));
    assert.ok(!podEvaluator.matchesScope(s('BestEffort'), burst));
    assert.ok(podEvaluator.matchesScope(s('NotBestEffort'), burst));
    assert.ok(podEvaluator.matchesScope(s('Terminating'), term));
    assert.ok(podEvaluator.matchesScope(s('NotTerminating'), be));
    assert.ok(podEvaluator.matchesScope(s('PriorityClass', 'In', ['high']), term));
    assert.ok(!podEvaluator.matchesScope(s('PriorityClass', 'In', ['high']), be));
    assert.ok(podEvaluator.matchesScope(s('PriorityClass', 'NotIn', ['high']), be));
    assert.ok(podEvaluator.matchesScope(s('PriorityClass'), term));
    assert.ok(podEvaluator.matchesScope(s('PriorityClass', 'DoesNotExist'), be));
    const q = quota('q', { pods: '1' }, { pods: '0' }, { scopes: ['BestEffort'] });
    assert.ok(quotaMatches(podEvaluator, q, be));
    assert.ok(!quotaMatches(podEvaluator, q, burst));
  });

  it('handles creates, terminating-scope changes and resize', () => {
    const p = pod('p');
    assert.ok(
      podEvaluator.handles({
        operation: 'CREATE',
        subresource: '',
        object: p,
        oldObject: undefined,
      }),
    );
    assert.ok(
      !podEvaluator.handles({ operation: 'UPDATE', subresource: '', object: p, oldObject: p }),
    );
    const t = pod('p', { activeDeadlineSeconds: 1 });
    assert.ok(
      podEvaluator.handles({ operation: 'UPDATE', subresource: '', object: t, oldObject: p }),
    );
    assert.ok(
      !podEvaluator.handles({
        operation: 'CREATE',
        subresource: 'binding',
        object: p,
        oldObject: undefined,
      }),
    );
    assert.ok(
      podEvaluator.handles({ operation: 'UPDATE', subresource: 'resize', object: p, oldObject: p }),
    );
  });
});

describe('service, PVC and object-count evaluators', () => {
  const svc = (type: string, ports: number, extra: object = {}): KubeObject => ({
    metadata: { name: 's' },
    spec: { type, ports: Array.from({ length: ports }, (_, i) => ({ port: 80 + i })), ...extra },
  });

  it('counts node ports and load balancers', () => {
    assert.deepEqual(toJson(serviceEvaluator.usage(svc('ClusterIP', 2))), {
      'count/services': '1',
      services: '1',
      'services.loadbalancers': '0',
      'services.nodeports': '0',
    });
    assert.equal(toJson(serviceEvaluator.usage(svc('NodePort', 2)))['services.nodeports'], '2');
    const lb = toJson(serviceEvaluator.usage(svc('LoadBalancer', 3)));
    assert.equal(lb['services.loadbalancers'], '1');
    assert.equal(lb['services.nodeports'], '3');
    const noPorts = toJson(
      serviceEvaluator.usage(svc('LoadBalancer', 2, { allocateLoadBalancerNodePorts: false })),
    );
    assert.equal(noPorts['services.nodeports'], '0');
  });

  it('charges claims and storage, also per storage class, rounded up to bytes', () => {
    const pvc: KubeObject = {
      metadata: { name: 'c' },
      spec: { storageClassName: 'gold', resources: { requests: { storage: '1.5' } } },
    };
    assert.deepEqual(toJson(persistentVolumeClaimEvaluator.usage(pvc)), {
      'count/persistentvolumeclaims': '1',
      'gold.storageclass.storage.k8s.io/persistentvolumeclaims': '1',
      'gold.storageclass.storage.k8s.io/requests.storage': '2',
      persistentvolumeclaims: '1',
      'requests.storage': '2',
    });
    assert.deepEqual(
      persistentVolumeClaimEvaluator.matchingResources([
        'gold.storageclass.storage.k8s.io/requests.storage',
        'requests.storage',
        'pods',
      ]),
      ['gold.storageclass.storage.k8s.io/requests.storage', 'requests.storage'],
    );
  });

  it('counts other resources as count/<resource>.<group> and legacy aliases', () => {
    const cm = evaluatorFor('', 'configmaps');
    assert.deepEqual(toJson(cm.usage({})), { configmaps: '1', 'count/configmaps': '1' });
    const deploy = evaluatorFor('apps', 'deployments');
    assert.deepEqual(deploy.matchingResources(['count/deployments.apps', 'pods']), [
      'count/deployments.apps',
    ]);
    assert.ok(!deploy.handles({ operation: 'UPDATE', subresource: '', object: {}, oldObject: {} }));
    assert.deepEqual(resourceOfQuotaName('count/deployments.apps'), {
      group: 'apps',
      resource: 'deployments',
    });
    assert.deepEqual(resourceOfQuotaName('requests.cpu'), { group: '', resource: 'pods' });
    assert.deepEqual(resourceOfQuotaName('secrets'), { group: '', resource: 'secrets' });
    assert.equal(resourceOfQuotaName('toString'), undefined);
  });
});

describe('calculateUsage', () => {
  it('sums the scoped objects of each evaluator, zero when none, untracked names left out', async () => {
    const objects: Record<string, KubeObject[]> = {
      '/pods': [
        pod('a', { containers: [container('c', { cpu: '250m' })] }),
        pod('b', { containers: [container('c', { cpu: '250m' })] }),
        pod('done', { containers: [container('c', { cpu: '1' })] }, { phase: 'Succeeded' }),
      ],
      '/configmaps': [],
    };
    const q = quota(
      'q',
      {
        pods: '10',
        'count/pods': '10',
        'requests.cpu': '4',
        configmaps: '3',
        'count/widgets.example.com': '1',
      },
      undefined,
    );
    const used = await calculateUsage(q, async (g, r) => objects[`${g}/${r}`]);
    assert.deepEqual(toJson(used), {
      configmaps: '0',
      'count/pods': '3',
      pods: '2',
      'requests.cpu': '500m',
    });
  });
});
