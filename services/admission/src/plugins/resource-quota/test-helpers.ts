// Builders shared by the resource-quota tests.
import type { KubeObject } from '@splitplane/scheme';
import type { AdmissionAttributes, Operation } from '../../chain/plugin.js';

export function quota(
  name: string,
  hard: Record<string, string>,
  used: Record<string, string> | undefined,
  extra: { scopes?: string[]; scopeSelector?: unknown; rv?: string; namespace?: string } = {},
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: {
      name,
      namespace: extra.namespace ?? 'ns',
      resourceVersion: extra.rv ?? '1',
    },
    spec: {
      hard,
      ...(extra.scopes ? { scopes: extra.scopes } : {}),
      ...(extra.scopeSelector ? { scopeSelector: extra.scopeSelector } : {}),
    },
    status: used === undefined ? { hard } : { hard, used },
  };
}

export function container(
  name: string,
  requests?: Record<string, string>,
  limits?: Record<string, string>,
): Record<string, unknown> {
  return {
    name,
    image: 'nginx',
    resources: { ...(requests ? { requests } : {}), ...(limits ? { limits } : {}) },
  };
}

export function pod(name: string, spec: Record<string, unknown> = {}, status?: object): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'ns' },
    spec: { containers: [container('c')], ...spec },
    ...(status ? { status } : {}),
  };
}

export function attrs(
  object: KubeObject | undefined,
  opts: {
    operation?: Operation;
    oldObject?: KubeObject;
    resource?: string;
    group?: string;
    kind?: string;
    subresource?: string;
    dryRun?: boolean;
    namespace?: string;
  } = {},
): AdmissionAttributes {
  return {
    uid: 'u',
    kind: { group: opts.group ?? '', version: 'v1', kind: opts.kind ?? 'Pod' },
    resource: { group: opts.group ?? '', version: 'v1', resource: opts.resource ?? 'pods' },
    subresource: opts.subresource ?? '',
    name: object?.metadata?.name ?? '',
    namespace: opts.namespace ?? 'ns',
    operation: opts.operation ?? 'CREATE',
    user: { username: 'u', uid: '', groups: [], extra: {} },
    object,
    oldObject: opts.oldObject,
    dryRun: opts.dryRun ?? false,
    options: undefined,
  };
}
