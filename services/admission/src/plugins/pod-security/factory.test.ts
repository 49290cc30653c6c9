import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PodSecurityConfigError } from './config.js';
import { podSecurityConfigFrom } from './factory.js';

describe('PodSecurity factory configuration', () => {
  it('maps kube PodSecurityConfiguration keys', () => {
    const config = podSecurityConfigFrom({
      apiVersion: 'pod-security.admission.config.k8s.io/v1',
      kind: 'PodSecurityConfiguration',
      defaults: {
        enforce: 'baseline',
        'enforce-version': 'latest',
        warn: 'restricted',
        'audit-version': 'v1.30',
      },
      exemptions: { usernames: ['ci'], runtimeClasses: ['kata'], namespaces: ['kube-system'] },
    });
    assert.deepEqual(config, {
      defaults: {
        enforce: 'baseline',
        enforceVersion: 'latest',
        auditVersion: 'v1.30',
        warn: 'restricted',
      },
      exemptions: { usernames: ['ci'], runtimeClasses: ['kata'], namespaces: ['kube-system'] },
    });
    assert.deepEqual(podSecurityConfigFrom(undefined), {});
  });

  it('refuses malformed configuration', () => {
    assert.throws(() => podSecurityConfigFrom({ kind: 'Other' }), PodSecurityConfigError);
    assert.throws(
      () => podSecurityConfigFrom({ exemptions: { usernames: 'x' } }),
      PodSecurityConfigError,
    );
    assert.throws(
      () => podSecurityConfigFrom({ defaults: { enforce: 3 } }),
      PodSecurityConfigError,
    );
  });
});
