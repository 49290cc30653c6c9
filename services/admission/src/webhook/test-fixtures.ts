// Request attributes and configurations for the webhook tests.
import type { KubeObject } from '@splitplane/scheme';
import type { AdmissionAttributes, AdmissionContext } from '../chain/plugin.js';
import type { NamespaceLister, WebhookConfigurationSource, WebhookSpec } from './types.js';

export function podCreate(overrides: Partial<AdmissionAttributes> = {}): AdmissionAttributes {
  return {
    uid: 'b6c1d1a4-0000-4000-8000-000000000001',
    kind: { group: '', version: 'v1', kind: 'Pod' },
    resource: { group: '', version: 'v1', resource: 'pods' },
    subresource: '',
    name: 'web',
    namespace: 'default',
    operation: 'CREATE',
    user: { username: 'alice', uid: 'u1', groups: ['system:authenticated'], extra: {} },
    object: {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
      spec: { containers: [{ name: 'c', image: 'nginx' }] },
    },
    oldObject: undefined,
    dryRun: false,
    options: { kind: 'CreateOptions', apiVersion: 'meta.k8s.io/v1' },
    ...overrides,
  };
}

export const newContext = (): AdmissionContext => ({ warnings: [], auditAnnotations: {} });

export function hook(
  name: string,
  clientConfig: WebhookSpec['clientConfig'],
  extra: Partial<WebhookSpec> = {},
): WebhookSpec {
  return {
    name,
    clientConfig,
    rules: [
      {
        operations: ['CREATE', 'UPDATE'],
        apiGroups: [''],
        apiVersions: ['v1'],
        resources: ['pods'],
      },
    ],
    sideEffects: 'None',
    admissionReviewVersions: ['v1'],
    ...extra,
  };
}

export function source(kind: string, ...webhooks: WebhookSpec[][]): WebhookConfigurationSource {
  const objects: KubeObject[] = webhooks.map((w, i) => ({
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind,
    metadata: { name: `config-${i}` },
    webhooks: w,
  }));
  return { list: () => objects };
}

export function namespaces(labels: Record<string, Record<string, string>>): NamespaceLister {
  return {
    get: (name) =>
      labels[name]
        ? { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: labels[name] } }
        : undefined,
  };
}
