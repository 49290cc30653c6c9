// Every namespace has a "default" ServiceAccount (kube's serviceaccounts controller): pods
// that name none run as it, and the ServiceAccount admission plugin refuses pods whose
// account does not exist. kube's controller creates it a moment after the namespace; here
// the namespace create's commit step does it at once, so a pod created right after its
// namespace finds the account. A leader-elected pass (at start, then every second) puts
// back an account someone deleted and covers namespaces that predate this.
import { StatusError } from '@splitplane/apimachinery';
import type { Logger } from '@splitplane/kit';
import { collectionPrefix, type KubeObject } from '@splitplane/scheme';
import { LeaderLoop } from '../controllers/leader-loop.js';
import { systemAttributes } from '../namespace-controller/system-namespaces.js';
import { createObject } from '../store/create.js';
import type { Store } from '../store/store.js';
import type { WriteHooks } from '../store/write-hooks.js';

export const DEFAULT_SERVICE_ACCOUNT = 'default';

/** The identity kube's serviceaccounts controller acts as. */
const SERVICE_ACCOUNT_CONTROLLER_USER = {
  username: 'system:serviceaccount:kube-system:service-account-controller',
  uid: '',
  groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system', 'system:authenticated'],
  extra: {},
};

/** Creates `namespace`'s default ServiceAccount; one that exists already is success. */
export async function ensureDefaultServiceAccount(store: Store, namespace: string): Promise<void> {
  const ctx = store.context(
    systemAttributes(
      { group: '', version: 'v1', resource: 'serviceaccounts' },
      namespace,
      DEFAULT_SERVICE_ACCOUNT,
      SERVICE_ACCOUNT_CONTROLLER_USER,
    ),
  );
  const sa: KubeObject = {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: DEFAULT_SERVICE_ACCOUNT, namespace },
  };
  try {
    await createObject(store, ctx, sa, false);
  } catch (err) {
    if (err instanceof StatusError && err.reason === 'AlreadyExists') return;
    throw err;
  }
}

/** For every namespace not being deleted, its default ServiceAccount (two range reads when none is missing). */
export async function ensureDefaultServiceAccounts(store: Store, log?: Logger): Promise<void> {
  const nsDef = store.scheme.resource('', 'v1', 'namespaces');
  const saDef = store.scheme.resource('', 'v1', 'serviceaccounts');
  if (!nsDef || !saDef) return;
  const { items } = await store.storage.list(collectionPrefix(nsDef, ''), {
    predicate: (ns) => !ns.metadata?.deletionTimestamp,
  });
  const accounts = await store.storage.list(collectionPrefix(saDef, ''), {
    predicate: (sa) => sa.metadata?.name === DEFAULT_SERVICE_ACCOUNT,
  });
  const have = new Set(accounts.items.map((sa) => sa.metadata?.namespace ?? ''));
  for (const ns of items) {
    if (have.has(ns.metadata?.name ?? '')) continue;
    try {
      await ensureDefaultServiceAccount(store, ns.metadata?.name ?? '');
    } catch (err) {
      log?.warn({ err, namespace: ns.metadata?.name }, 'cannot create the default service account');
    }
  }
}

/**
 * Namespace write hooks: once a namespace is stored, its default ServiceAccount is created
 * through `store()` (bound late: the store is built with these hooks). A failure is logged,
 * never the namespace create's: the account is a convenience kube also adds after the fact.
 */
export function defaultServiceAccountHooks(store: () => Store, log?: Logger): WriteHooks {
  return {
    beginCreate: async (ctx, obj) => {
      if (ctx.dryRun) return undefined;
      const namespace = obj.metadata?.name ?? '';
      return {
        commit: async () => {
          try {
            await ensureDefaultServiceAccount(store(), namespace);
          } catch (err) {
            log?.warn({ err, namespace }, 'cannot create the default service account');
          }
        },
        revert: async () => undefined,
      };
    },
  };
}

export interface DefaultServiceAccountControllerOptions {
  identity: string;
  intervalMs?: number;
  leaseTtlSeconds?: number;
}

/** The leader's periodic ensureDefaultServiceAccounts. */
export class DefaultServiceAccountController {
  private readonly loop: LeaderLoop;

  constructor(store: Store, log: Logger, opts: DefaultServiceAccountControllerOptions) {
    this.loop = new LeaderLoop(
      store.storage.client,
      log,
      {
        name: 'serviceaccounts-controller',
        identity: opts.identity,
        intervalMs: opts.intervalMs ?? 1_000,
        ...(opts.leaseTtlSeconds ? { leaseTtlSeconds: opts.leaseTtlSeconds } : {}),
      },
      () => ensureDefaultServiceAccounts(store, log),
    );
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }
}
