import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatLevelVersion, parseVersion, policyToEvaluate } from './api.js';
import { PodSecurityConfigError, resolveDefaults } from './config.js';

const fmt = (labels?: Record<string, string>) => {
  const { policy, errors } = policyToEvaluate(labels);
  return {
    enforce: formatLevelVersion(policy.enforce),
    audit: formatLevelVersion(policy.audit),
    warn: formatLevelVersion(policy.warn),
    errors: errors.map(String),
  };
};

describe('namespace labels', () => {
  it('default to privileged:latest', () => {
    assert.deepEqual(fmt(undefined), {
      enforce: 'privileged:latest',
      audit: 'privileged:latest',
      warn: 'privileged:latest',
      errors: [],
    });
    assert.deepEqual(fmt({ team: 'a' }).enforce, 'privileged:latest');
  });

  it('read each mode level and version', () => {
    assert.deepEqual(
      fmt({
        'pod-security.kubernetes.io/enforce': 'baseline',
        'pod-security.kubernetes.io/enforce-version': 'v1.24',
        'pod-security.kubernetes.io/audit': 'restricted',
        'pod-security.kubernetes.io/warn': 'restricted',
        'pod-security.kubernetes.io/warn-version': 'latest',
      }),
      {
        enforce: 'baseline:v1.24',
        audit: 'restricted:latest',
        warn: 'restricted:latest',
        errors: [],
      },
    );
  });

  it('an invalid enforce level enforces restricted; invalid audit/warn levels fail open', () => {
    assert.deepEqual(
      fmt({
        'pod-security.kubernetes.io/enforce': 'strict',
        'pod-security.kubernetes.io/audit': 'nope',
        'pod-security.kubernetes.io/warn': 'Restricted',
      }),
      {
        enforce: 'restricted:latest',
        audit: 'privileged:latest',
        warn: 'privileged:latest',
        errors: [
          'metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "strict": must be one of privileged, baseline, restricted',
          'metadata.labels[pod-security.kubernetes.io/audit]: Invalid value: "nope": must be one of privileged, baseline, restricted',
          'metadata.labels[pod-security.kubernetes.io/warn]: Invalid value: "Restricted": must be one of privileged, baseline, restricted',
        ],
      },
    );
  });

  it('an invalid version reads as latest', () => {
    const r = fmt({
      'pod-security.kubernetes.io/enforce': 'baseline',
      'pod-security.kubernetes.io/enforce-version': '1.24',
    });
    assert.equal(r.enforce, 'baseline:latest');
    assert.deepEqual(r.errors, [
      'metadata.labels[pod-security.kubernetes.io/enforce-version]: Invalid value: "1.24": must be "latest" or "v1.x"',
    ]);
  });

  it('versions: v1.0 and v1.x parse, leading zeros and v2 do not', () => {
    assert.equal(parseVersion('v1.0').error, undefined);
    assert.equal(parseVersion('v1.123').error, undefined);
    for (const bad of ['v1.01', 'v2.0', 'v1', 'latest ', 'v1.x', '']) {
      assert.ok(parseVersion(bad).error, bad);
    }
  });
});

describe('configured defaults', () => {
  it('replace the privileged defaults', () => {
    const p = resolveDefaults({ enforce: 'baseline', enforceVersion: 'v1.30', warn: 'restricted' });
    assert.equal(formatLevelVersion(p.enforce), 'baseline:v1.30');
    assert.equal(formatLevelVersion(p.warn), 'restricted:latest');
    assert.equal(formatLevelVersion(p.audit), 'privileged:latest');
    const { policy } = policyToEvaluate({ 'pod-security.kubernetes.io/warn': 'baseline' }, p);
    assert.equal(formatLevelVersion(policy.enforce), 'baseline:v1.30');
    assert.equal(formatLevelVersion(policy.warn), 'baseline:latest');
  });

  it('reject invalid values', () => {
    assert.throws(() => resolveDefaults({ audit: 'high' }), PodSecurityConfigError);
    assert.throws(
      () => resolveDefaults({ warnVersion: '1.2' }),
      /defaults.warn-version: must be "latest" or "v1.x"/,
    );
  });
});
