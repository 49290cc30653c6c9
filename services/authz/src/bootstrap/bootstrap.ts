// The rbac/bootstrap-roles post-start hook of kube-apiserver, run by authz at start: make
// sure kube-system and kube-public exist, then create or reconcile every default ClusterRole,
// ClusterRoleBinding, Role and RoleBinding. Unreachable backends are retried until they
// answer; an object the registry refuses for good (4xx) is logged and skipped, as kube does.
import { StatusError } from '@splitplane/apimachinery';
import type { Logger } from '@splitplane/kit';
import {
  BOOTSTRAP_CLUSTER_ROLE_BINDINGS,
  BOOTSTRAP_ROLE_BINDINGS,
  BOOTSTRAP_ROLES,
} from './bindings.js';
import { BOOTSTRAP_CLUSTER_ROLES } from './cluster-roles.js';
import type { ObjectRef, PolicyClient, RbacResource } from './policy-client.js';
import {
  bindingObject,
  clusterRoleObject,
  reconcileBinding,
  reconcileRole,
  roleObject,
  type RbacObject,
  type ReconcileOperation,
  type ReconcileResult,
} from './reconcile.js';

export const BOOTSTRAP_NAMESPACES = ['kube-system', 'kube-public'];

export interface BootstrapOptions {
  signal?: AbortSignal;
  /** First and longest pause between attempts while a backend is unreachable. */
  retryMinMs?: number;
  retryMaxMs?: number;
}

export interface BootstrapReport {
  /** "clusterroles/admin" or "roles/kube-system/x" -> what was done. */
  operations: Map<string, ReconcileOperation | 'protected' | 'failed'>;
}

export class BootstrapAbortedError extends Error {
  constructor(cause?: unknown) {
    super('bootstrap policy reconciliation was stopped before it finished', { cause });
    this.name = 'BootstrapAbortedError';
  }
}

interface Item {
  ref: ObjectRef;
  expected: RbacObject;
  reconcile: (existing: RbacObject | undefined, expected: RbacObject) => ReconcileResult;
}

function items(): Item[] {
  const out: Item[] = [];
  const add = (resource: RbacResource, expected: RbacObject, reconcile: Item['reconcile']) => {
    const namespace = expected.metadata.namespace;
    out.push({
      ref: { resource, name: expected.metadata.name!, ...(namespace ? { namespace } : {}) },
      expected,
      reconcile,
    });
  };
  for (const r of BOOTSTRAP_CLUSTER_ROLES) add('clusterroles', clusterRoleObject(r), reconcileRole);
  for (const b of BOOTSTRAP_CLUSTER_ROLE_BINDINGS)
    add('clusterrolebindings', bindingObject(b), reconcileBinding);
  for (const r of BOOTSTRAP_ROLES) add('roles', roleObject(r), reconcileRole);
  for (const b of BOOTSTRAP_ROLE_BINDINGS) add('rolebindings', bindingObject(b), reconcileBinding);
  return out;
}

const refKey = (ref: ObjectRef) =>
  [ref.resource, ref.namespace, ref.name].filter(Boolean).join('/');

/** A refusal that retrying cannot change (bad object, forbidden...), as opposed to an outage. */
function isPermanent(err: unknown): boolean {
  return (
    err instanceof StatusError &&
    err.code >= 400 &&
    err.code < 500 &&
    err.code !== 409 &&
    err.code !== 429
  );
}

const CONFLICT_ATTEMPTS = 5;

async function reconcileItem(
  client: PolicyClient,
  item: Item,
): Promise<ReconcileOperation | 'protected'> {
  for (let attempt = 1; ; attempt++) {
    const existing = await client.get(item.ref);
    const result = item.reconcile(existing, item.expected);
    if (result.operation === 'none') return 'none';
    if (result.protected) return 'protected';
    try {
      switch (result.operation) {
        case 'create':
          await client.create(item.ref, result.object);
          break;
        case 'update':
          await client.update(item.ref, result.object);
          break;
        case 'recreate': {
          await client.delete(item.ref);
          const { resourceVersion: _rv, uid: _uid, ...metadata } = result.object.metadata;
          await client.create(item.ref, { ...result.object, metadata });
          break;
        }
      }
      return result.operation;
    } catch (err) {
      // Someone else created or changed it meanwhile (another authz replica): read again.
      if (err instanceof StatusError && err.code === 409 && attempt < CONFLICT_ATTEMPTS) continue;
      throw err;
    }
  }
}

async function ensureNamespaces(client: PolicyClient, log: Logger): Promise<void> {
  for (const name of BOOTSTRAP_NAMESPACES) {
    if (await client.getNamespace(name)) continue;
    await client.createNamespace(name);
    log.info({ namespace: name }, 'bootstrap: created namespace');
  }
}

function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new BootstrapAbortedError(signal.reason));
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(new BootstrapAbortedError(signal?.reason));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Runs until every default object has been reconciled once (or refused for good), retrying
 * while the registry or watch-cache is unreachable. Rejects only with BootstrapAbortedError.
 */
export async function reconcileBootstrapPolicy(
  client: PolicyClient,
  log: Logger,
  opts: BootstrapOptions = {},
): Promise<BootstrapReport> {
  const operations: BootstrapReport['operations'] = new Map();
  const pending = items();
  let delay = opts.retryMinMs ?? 250;
  let namespacesReady = false;
  while (pending.length > 0 || !namespacesReady) {
    if (opts.signal?.aborted) throw new BootstrapAbortedError(opts.signal.reason);
    try {
      if (!namespacesReady) {
        await ensureNamespaces(client, log);
        namespacesReady = true;
      }
      while (pending.length > 0) {
        const item = pending[0]!;
        try {
          const op = await reconcileItem(client, item);
          operations.set(refKey(item.ref), op);
          if (op === 'protected') {
            log.warn({ object: refKey(item.ref) }, 'bootstrap: skipped reconcile-protected object');
          } else if (op !== 'none') {
            log.info({ object: refKey(item.ref), operation: op }, 'bootstrap: reconciled');
          }
        } catch (err) {
          if (!isPermanent(err)) throw err;
          operations.set(refKey(item.ref), 'failed');
          log.error({ err, object: refKey(item.ref) }, 'bootstrap: unable to reconcile');
        }
        pending.shift();
      }
    } catch (err) {
      log.warn(
        { error: (err as Error).message, retryInMs: delay },
        'bootstrap: backend not ready, retrying',
      );
      await pause(delay, opts.signal);
      delay = Math.min(delay * 2, opts.retryMaxMs ?? 5_000);
    }
  }
  return { operations };
}
