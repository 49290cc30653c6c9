import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StatusError } from '@splitplane/apimachinery';
import { checkRequest, stateOf } from './check-request.js';
import { evaluatorFor } from './evaluators/registry.js';
import { toJson } from './resource-list.js';
import { attrs, container, pod, quota } from './test-helpers.js';

const pods = evaluatorFor('', 'pods');

function refusal(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof StatusError);
    return err;
  }
  assert.fail('expected a refusal');
}

describe('checkRequest', () => {
  it('charges a create against every matching quota', () => {
    const states = [
      stateOf(quota('a', { pods: '10' }, { pods: '3' })),
      stateOf(quota('b', { 'count/configmaps': '1' }, { 'count/configmaps': '0' })),
    ];
    const out = checkRequest(states, attrs(pod('p')), pods);
    assert.deepEqual(toJson(out[0]!.used), { pods: '4' });
    assert.equal(out[1], states[1]);
  });

  it('refuses with kube’s exceeded-quota message and 403 Forbidden', () => {
    const states = [stateOf(quota('compute', { pods: '10', cpu: '4' }, { pods: '10', cpu: '0' }))];
    const err = refusal(() =>
      checkRequest(states, attrs(pod('p', { containers: [container('c', { cpu: '1' })] })), pods),
    );
    assert.equal(err.code, 403);
    assert.equal(err.reason, 'Forbidden');
    assert.equal(
      err.message,
      'pods "p" is forbidden: exceeded quota: compute, requested: pods=1, used: pods=10, limited: pods=10',
    );
  });

  it('refuses pods without the requests a compute quota demands', () => {
    const states = [stateOf(quota('cq', { 'requests.cpu': '1' }, { 'requests.cpu': '0' }))];
    const err = refusal(() => checkRequest(states, attrs(pod('p')), pods));
    assert.equal(
      err.message,
      'pods "p" is forbidden: failed quota: cq: must specify requests.cpu for: c',
    );
  });

  it('refuses while the quota has no usage yet', () => {
    const states = [stateOf(quota('fresh', { pods: '1' }, undefined))];
    const err = refusal(() => checkRequest(states, attrs(pod('p')), pods));
    assert.equal(
      err.message,
      'pods "p" is forbidden: status unknown for quota: fresh, resources: pods',
    );
  });

  it('names generated objects by their generateName', () => {
    const states = [stateOf(quota('q', { pods: '0' }, { pods: '0' }))];
    const p = pod('');
    p.metadata = { generateName: 'web-', namespace: 'ns' };
    const err = refusal(() => checkRequest(states, attrs(p), pods));
    assert.match(err.message, /^pods "web-" is forbidden: exceeded quota: q/);
  });

  it('charges only the growth of an update, and nothing for a shrink', () => {
    const svc = evaluatorFor('', 'services');
    const states = [
      stateOf(
        quota(
          's',
          { 'services.loadbalancers': '1', services: '5' },
          {
            'services.loadbalancers': '0',
            services: '1',
          },
        ),
      ),
    ];
    const old = {
      metadata: { name: 's', resourceVersion: '5' },
      spec: { type: 'ClusterIP', ports: [{ port: 1 }] },
    };
    const lb = {
      metadata: { name: 's', resourceVersion: '5' },
      spec: { type: 'LoadBalancer', ports: [{ port: 1 }] },
    };
    const a = attrs(lb, {
      operation: 'UPDATE',
      oldObject: old,
      resource: 'services',
      kind: 'Service',
    });
    const out = checkRequest(states, a, svc);
    assert.deepEqual(toJson(out[0]!.used), { services: '1', 'services.loadbalancers': '1' });
    const back = attrs(old, {
      operation: 'UPDATE',
      oldObject: lb,
      resource: 'services',
      kind: 'Service',
    });
    assert.equal(checkRequest(out, back, svc), out);
  });

  it('ignores quotas whose scope the object is outside', () => {
    const states = [stateOf(quota('be', { pods: '0' }, { pods: '0' }, { scopes: ['BestEffort'] }))];
    const burstable = pod('p', { containers: [container('c', { cpu: '1' })] });
    assert.equal(checkRequest(states, attrs(burstable), pods), states);
  });
});
