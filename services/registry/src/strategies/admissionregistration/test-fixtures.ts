// Objects of the admissionregistration.k8s.io/v1 kinds for the strategy tests.
import type { KubeObject } from '@splitplane/scheme';
import { meta } from '../internal/test-support.js';

export const G = 'admissionregistration.k8s.io/v1';
export const hook = (extra: Record<string, unknown> = {}) => ({
  name: 'check.example.com',
  clientConfig: { service: { namespace: 'default', name: 'hooks' } },
  rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }],
  sideEffects: 'None',
  admissionReviewVersions: ['v1'],
  ...extra,
});
export const mwc = (webhooks: unknown[], name = 'mw'): KubeObject => ({
  apiVersion: G,
  kind: 'MutatingWebhookConfiguration',
  metadata: meta(name),
  webhooks,
});
export const vwc = (webhooks: unknown[], name = 'vw'): KubeObject => ({
  apiVersion: G,
  kind: 'ValidatingWebhookConfiguration',
  metadata: meta(name),
  webhooks,
});
export const rule = {
  operations: ['CREATE', 'UPDATE'],
  apiGroups: ['apps'],
  apiVersions: ['v1'],
  resources: ['deployments'],
};
export const vap = (spec: Record<string, unknown>, name = 'replicas'): KubeObject => ({
  apiVersion: G,
  kind: 'ValidatingAdmissionPolicy',
  metadata: meta(name),
  spec: {
    matchConstraints: { resourceRules: [rule] },
    validations: [{ expression: 'object.spec.replicas <= 5' }],
    ...spec,
  },
});
export const binding = (spec: Record<string, unknown>, name = 'replicas-binding'): KubeObject => ({
  apiVersion: G,
  kind: 'ValidatingAdmissionPolicyBinding',
  metadata: meta(name),
  spec: { policyName: 'replicas', validationActions: ['Deny'], ...spec },
});
