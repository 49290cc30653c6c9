// Shared by the read tests: a real etcd, storage, a quiet logger, request builders, and
// assertions on kube Status errors.
import assert from 'node:assert/strict';
import { StatusError, type Status } from '@splitplane/apimachinery';
import { createLogger, type Logger } from '@splitplane/kit';
import type { ListOptions, ListRequest, RequestAttributes } from '@splitplane/proto';
import { BUILTIN_RESOURCES, Scheme, type KubeObject } from '@splitplane/scheme';

export const scheme = new Scheme(BUILTIN_RESOURCES);
export const configmaps = scheme.resource('', 'v1', 'configmaps')!;

export function quietLogger(): Logger {
  const log = createLogger('read-test');
  log.level = process.env.SPLITPLANE_LOG_LEVEL ?? 'error';
  return log;
}

export function attributes(namespace: string, name = ''): RequestAttributes {
  return {
    user: { username: 'test', uid: '', groups: [], extra: {} },
    resource: { group: '', version: 'v1', resource: 'configmaps' },
    namespace,
    name,
    subresource: '',
    dryRun: false,
    fieldManager: '',
    fieldValidation: '',
    auditId: '',
  };
}

export function listRequest(namespace: string, partial: Partial<ListOptions> = {}): ListRequest {
  return {
    attributes: attributes(namespace),
    options: {
      labelSelector: '',
      fieldSelector: '',
      resourceVersion: '',
      resourceVersionMatch: '',
      limit: '0',
      continue: '',
      allowWatchBookmarks: false,
      timeoutSeconds: '0',
      ...partial,
    },
  };
}

export const cm = (
  ns: string,
  name: string,
  labels: Record<string, string> = {},
  data: Record<string, string> = {},
): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: ns, labels },
  data,
});

export const names = (items: Buffer[]): string[] =>
  items.map((b) => (JSON.parse(b.toString()) as KubeObject).metadata!.name!);

export const texts = (items: Buffer[]): string[] => items.map((b) => b.toString());

/** Asserts a rejection with exactly this Status (fields given are compared deeply). */
export async function rejectsWith(
  promise: Promise<unknown>,
  expected: Partial<Status>,
): Promise<StatusError> {
  let caught: unknown;
  await assert.rejects(promise, (err: unknown) => {
    caught = err;
    return true;
  });
  assert.ok(caught instanceof StatusError, `expected a StatusError, got ${String(caught)}`);
  for (const [field, value] of Object.entries(expected))
    assert.deepEqual(caught.status[field as keyof Status], value, `status.${field}`);
  return caught;
}
