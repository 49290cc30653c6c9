// Manifests the admission suites and benchmark send: webhook configurations, policies and
// bindings, and the small objects they admit or refuse. All JSON, which kubectl reads as is.

export type Json = Record<string, unknown>;

export interface WebhookRule {
  operations: string[];
  apiGroups: string[];
  apiVersions: string[];
  resources: string[];
  scope?: 'Cluster' | 'Namespaced' | '*';
}

/** CREATE (or the given operations) of core v1 `resources`. */
export const coreRule = (resources: string[], operations = ['CREATE']): WebhookRule => ({
  operations,
  apiGroups: [''],
  apiVersions: ['v1'],
  resources,
});

/** One entry of `webhooks`: sideEffects None, AdmissionReview v1, failurePolicy Fail. */
export function webhook(name: string, clientConfig: Json, extra: Json = {}): Json {
  return {
    name,
    clientConfig,
    rules: [coreRule(['configmaps'])],
    failurePolicy: 'Fail',
    sideEffects: 'None',
    admissionReviewVersions: ['v1'],
    ...extra,
  };
}

export function webhookConfiguration(
  kind: 'ValidatingWebhookConfiguration' | 'MutatingWebhookConfiguration',
  name: string,
  webhooks: Json[],
): string {
  return JSON.stringify({
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind,
    metadata: { name },
    webhooks,
  });
}

export const validating = (name: string, ...webhooks: Json[]) =>
  webhookConfiguration('ValidatingWebhookConfiguration', name, webhooks);
export const mutating = (name: string, ...webhooks: Json[]) =>
  webhookConfiguration('MutatingWebhookConfiguration', name, webhooks);

export function policy(name: string, spec: Json): string {
  return JSON.stringify({
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicy',
    metadata: { name },
    spec,
  });
}

export function binding(name: string, spec: Json): string {
  return JSON.stringify({
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicyBinding',
    metadata: { name },
    spec,
  });
}

/** matchConstraints for CREATE and UPDATE of apps/v1 deployments (the documentation's). */
export const DEPLOYMENTS_CONSTRAINTS: Json = {
  resourceRules: [
    {
      apiGroups: ['apps'],
      apiVersions: ['v1'],
      operations: ['CREATE', 'UPDATE'],
      resources: ['deployments'],
    },
  ],
};

export function namespace(name: string, labels: Record<string, string> = {}): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
}

export function configMap(
  namespace: string,
  name: string,
  labels: Record<string, string> = {},
  data: Record<string, string> = { k: 'v' },
): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace, labels },
    data,
  });
}

export function pod(namespace: string, name: string, labels: Record<string, string> = {}): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels },
    spec: { containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.10' }] },
  });
}

export function deployment(
  namespace: string,
  name: string,
  replicas: number,
  image = 'nginx',
): string {
  return JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'web', image }] },
      },
    },
  });
}
