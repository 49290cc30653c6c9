import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StatusError } from '@splitplane/apimachinery';
import { checkRequest, stateOf } from './check-request.js';
import { resourceQuotaConfigFrom } from './config.js';
import { QuotaBatcher } from './quota-batcher.js';
import { evaluatorFor } from './evaluators/registry.js';
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

describe('ResourceQuotaConfiguration', () => {
  const config = resourceQuotaConfigFrom({
    apiVersion: 'apiserver.config.k8s.io/v1',
    kind: 'ResourceQuotaConfiguration',
    limitedResources: [
      { resource: 'pods', matchContains: ['requests.cpu'] },
      {
        resource: 'pods',
        matchScopes: [{ scopeName: 'PriorityClass', operator: 'In', values: ['cluster-services'] }],
      },
    ],
  });

  it('parses kube’s format and refuses what kube refuses', () => {
    assert.equal(config.limitedResources.length, 2);
    assert.deepEqual(resourceQuotaConfigFrom(undefined), { limitedResources: [] });
    assert.throws(
      () => resourceQuotaConfigFrom({ limitedResources: [{ matchContains: ['x'] }] }),
      /limitedResources\[0\]\.resource: Required value/,
    );
    assert.throws(() => resourceQuotaConfigFrom({ kind: 'Other' }), /unexpected kind Other/);
  });

  it('demands a covering quota for limited consumption', () => {
    const states = [stateOf(quota('count', { pods: '10' }, { pods: '0' }))];
    const cpu = pod('p', { containers: [container('c', { cpu: '1' })] });
    const err = refusal(() =>
      checkRequest(states, attrs(cpu), pods, new Date(), config.limitedResources),
    );
    assert.equal(err.code, 403);
    assert.equal(err.message, 'pods "p" is forbidden: insufficient quota to consume: requests.cpu');
    const covering = [
      ...states,
      stateOf(quota('cpu', { 'requests.cpu': '2' }, { 'requests.cpu': '0' })),
    ];
    const out = checkRequest(covering, attrs(cpu), pods, new Date(), config.limitedResources);
    assert.equal(out[1]!.used['requests.cpu']?.digits, 1n);
    // A pod that consumes no cpu needs no cpu quota.
    assert.notEqual(
      checkRequest(states, attrs(pod('q')), pods, new Date(), config.limitedResources),
      states,
    );
  });

  it('demands a quota with the scope for limited scopes (kube: a plain 500)', () => {
    const states = [stateOf(quota('count', { pods: '10' }, { pods: '0' }))];
    const critical = pod('p', { priorityClassName: 'cluster-services' });
    const err = refusal(() =>
      checkRequest(states, attrs(critical), pods, new Date(), config.limitedResources),
    );
    assert.equal(err.code, 500);
    assert.equal(err.reason, undefined);
    assert.equal(
      err.message,
      'insufficient quota to match these scopes: [{PriorityClass In [cluster-services]}]',
    );
    const scoped = [
      ...states,
      stateOf(
        quota(
          'critical',
          { pods: '5' },
          { pods: '0' },
          {
            scopeSelector: {
              matchExpressions: [
                { scopeName: 'PriorityClass', operator: 'In', values: ['cluster-services'] },
              ],
            },
          },
        ),
      ),
    ];
    const out = checkRequest(scoped, attrs(critical), pods, new Date(), config.limitedResources);
    assert.equal(out[1]!.used['pods']?.digits, 1n);
  });

  it('checks namespaces without any quota too, as kube does once resources are limited', async () => {
    const none = {
      quotas: async () => [],
      live: async () => undefined,
      updateStatus: async () => assert.fail('nothing to write'),
      hasQuotas: () => false,
    };
    const batcher = new QuotaBatcher(none, { limitedResources: config.limitedResources });
    const critical = pod('p', { priorityClassName: 'cluster-services' });
    await assert.rejects(batcher.evaluate(attrs(critical), pods), (err: unknown) => {
      assert.ok(err instanceof StatusError);
      assert.equal(err.code, 500);
      return true;
    });
    await batcher.evaluate(attrs(pod('plain')), pods);
    await new QuotaBatcher(none).evaluate(attrs(critical), pods);
  });
});
