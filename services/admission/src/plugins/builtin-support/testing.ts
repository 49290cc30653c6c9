// Helpers for the built-in plugins' unit tests: listers over plain maps, and attributes.
import type { KubeObject } from '@splitplane/scheme';
import type { AdmissionAttributes, Operation } from '../../chain/plugin.js';
import type { ObjectLister } from './lister.js';

/** A lister over plain objects, keyed by their own namespace and name. */
export function mapLister(objects: KubeObject[] = []): ObjectLister & { objects: KubeObject[] } {
  const ns = (o: KubeObject) => o.metadata?.namespace ?? '';
  return {
    objects,
    get: async (namespace, name) =>
      objects.find((o) => ns(o) === namespace && o.metadata?.name === name),
    list: async (namespace) => objects.filter((o) => namespace === '' || ns(o) === namespace),
  };
}

export interface TestRequest {
  operation?: Operation;
  group?: string;
  version?: string;
  resource?: string;
  kind?: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  object?: KubeObject;
  oldObject?: KubeObject;
  username?: string;
}

export function testAttributes(r: TestRequest): AdmissionAttributes {
  return {
    uid: 'uid-1',
    kind: { group: r.group ?? '', version: r.version ?? 'v1', kind: r.kind ?? 'Pod' },
    resource: { group: r.group ?? '', version: r.version ?? 'v1', resource: r.resource ?? 'pods' },
    subresource: r.subresource ?? '',
    name: r.name ?? String(r.object?.metadata?.name ?? ''),
    namespace: r.namespace ?? String(r.object?.metadata?.namespace ?? ''),
    operation: r.operation ?? 'CREATE',
    user: { username: r.username ?? 'alice', uid: '', groups: [], extra: {} },
    object: r.object,
    oldObject: r.oldObject,
    dryRun: false,
    options: undefined,
  };
}
