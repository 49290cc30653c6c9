// Test support: a store whose admission is a real admission service (admissionService over
// a plugin that records every call) on real etcd, for the write-path tests.
import { admissionService, AdmissionChain, type Plugin } from '@splitplane/admission';
import { newForbidden } from '@splitplane/apimachinery';
import { startGrpcServer } from '@splitplane/kit';
import type { RequestAttributes } from '@splitplane/proto';
import { BUILTIN_RESOURCES, Scheme } from '@splitplane/scheme';
import { createEtcdClient, EtcdStorage } from '@splitplane/storage';
import { startEtcd } from '@splitplane/testing';
import { GrpcAdmission } from '../../admission/grpc-admission.js';
import { ensureSystemNamespaces } from '../../namespace-controller/system-namespaces.js';
import { strategyFor } from '../../strategies/index.js';
import { Store } from '../store.js';

export interface Seen {
  phase: 'admit' | 'validate';
  operation: string;
  kind: string;
  resource: string;
  subresource: string;
  name: string;
  namespace: string;
  objectKind: string | undefined;
  oldKind: string | undefined;
  oldName: string | undefined;
  options: Record<string, unknown> | undefined;
  user: string;
  dryRun: boolean;
}

/**
 * Records every call; annotates the audit event; sets replicas 4 on a Scale named "mutate";
 * warns on both phases and denies in validation an object named "warn-then-deny".
 */
function recorder(seen: Seen[]): Plugin {
  return {
    name: 'TestRecorder',
    handles: () => true,
    async admit(a, ctx) {
      seen.push(record('admit', a));
      ctx.auditAnnotations['test.example.com/admitted'] = a.operation;
      if (a.name === 'warn-then-deny') ctx.warnings.push('mutating warning');
      if (a.kind.kind === 'Scale' && a.name === 'mutate') {
        (a.object!['spec'] as { replicas: number }).replicas = 4;
      }
    },
    async validate(a, ctx) {
      seen.push(record('validate', a));
      ctx.auditAnnotations['test.example.com/validated'] = a.operation;
      if (a.name === 'warn-then-deny') {
        ctx.warnings.push('validating warning');
        throw newForbidden({ group: '', resource: a.resource.resource }, a.name, 'denied by test');
      }
    },
  };
}

function record(phase: Seen['phase'], a: Parameters<NonNullable<Plugin['admit']>>[0]): Seen {
  return {
    phase,
    operation: a.operation,
    kind: `${a.kind.group}/${a.kind.version}/${a.kind.kind}`,
    resource: a.resource.resource,
    subresource: a.subresource,
    name: a.name,
    namespace: a.namespace,
    objectKind: a.object?.kind,
    oldKind: a.oldObject?.kind,
    oldName: a.oldObject?.metadata?.name,
    options: a.options,
    user: a.user.username,
    dryRun: a.dryRun,
  };
}

export function attrs(
  resource: { group: string; version: string; resource: string },
  name: string,
  extra: Partial<RequestAttributes> = {},
): RequestAttributes {
  return {
    user: { username: 'alice', uid: '', groups: ['system:authenticated'], extra: {} },
    resource,
    namespace: 'default',
    name,
    subresource: '',
    dryRun: false,
    fieldManager: '',
    fieldValidation: '',
    auditId: '',
    ...extra,
  };
}

export const CM = { group: '', version: 'v1', resource: 'configmaps' };
export const QUOTA = { group: '', version: 'v1', resource: 'resourcequotas' };
export const DEPLOY = { group: 'apps', version: 'v1', resource: 'deployments' };
export const PODS = { group: '', version: 'v1', resource: 'pods' };
export const json = (o: unknown) => Buffer.from(JSON.stringify(o));
export const cm = (name: string, labels: Record<string, string> = {}) =>
  json({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data: { a: '1' } });
export const brief = (s: Seen) =>
  `${s.phase} ${s.operation} ${s.resource}${s.subresource ? '/' + s.subresource : ''} ${s.name} object=${s.objectKind} old=${s.oldKind}`;

export interface RecordingStore {
  store: Store;
  storage: EtcdStorage;
  /** The calls admission received since the last take. */
  take(): Seen[];
  stop(): Promise<void>;
}

export async function startRecordingStore(): Promise<RecordingStore> {
  const seen: Seen[] = [];
  const etcd = await startEtcd();
  const storage = new EtcdStorage(createEtcdClient({ servers: [etcd.endpoint] }));
  const scheme = new Scheme(BUILTIN_RESOURCES);
  await ensureSystemNamespaces(new Store({ storage, scheme, strategyFor }));
  const server = await startGrpcServer('127.0.0.1:0', [
    admissionService(new AdmissionChain([recorder(seen)])),
  ]);
  const admission = new GrpcAdmission(`127.0.0.1:${server.port}`, { describeIntervalMs: 60_000 });
  await admission.start();
  return {
    store: new Store({ storage, scheme, strategyFor, admission }),
    storage,
    take: () => seen.splice(0, seen.length),
    async stop() {
      admission.close();
      await server.stop();
      storage.close();
      await etcd.stop();
    },
  };
}
