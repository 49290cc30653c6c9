// kube's pvc-protection and pv-protection controllers: a claim being deleted keeps the
// kubernetes.io/pvc-protection finalizer (which StorageObjectInUseProtection admission puts
// on every new claim) while a scheduled, running pod uses it; a volume being deleted keeps
// kubernetes.io/pv-protection while it is bound. Once unused the finalizer goes, and with
// the last finalizer the object. One replica works at a time; it polls, like the namespace
// controller.
import { StatusError } from '@splitplane/apimachinery';
import type { Logger } from '@splitplane/kit';
import { collectionPrefix, type KubeObject, type ResourceDefinition } from '@splitplane/scheme';
import { LeaderLoop } from '../controllers/leader-loop.js';
import { systemAttributes } from '../namespace-controller/system-namespaces.js';
import type { Store } from '../store/store.js';
import { runUpdate } from '../store/update-loop.js';

export const PVC_PROTECTION_FINALIZER = 'kubernetes.io/pvc-protection';
export const PV_PROTECTION_FINALIZER = 'kubernetes.io/pv-protection';

const controllerUser = (name: string) => ({
  username: `system:serviceaccount:kube-system:${name}`,
  uid: '',
  groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system', 'system:authenticated'],
  extra: {},
});

export interface StorageProtectionControllerOptions {
  identity: string;
  intervalMs?: number;
  leaseTtlSeconds?: number;
}

type Obj = Record<string, unknown>;
const list = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);

const beingDeletedWith = (finalizer: string) => (o: KubeObject) =>
  !!o.metadata?.deletionTimestamp && (o.metadata.finalizers ?? []).includes(finalizer);

/** Whether a pod keeps claim `name` in use: scheduled, not finished, and mounting it. */
export function podUsesClaim(pod: KubeObject, claim: string): boolean {
  const spec = (pod.spec ?? {}) as Obj;
  if (!spec.nodeName) return false;
  const phase = (pod.status as Obj | undefined)?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  return list(spec.volumes).some(
    (v) =>
      (v.persistentVolumeClaim as Obj | undefined)?.claimName === claim ||
      (v.ephemeral !== undefined && `${pod.metadata?.name ?? ''}-${String(v.name)}` === claim),
  );
}

export class StorageProtectionController {
  private readonly loop: LeaderLoop;

  constructor(
    private readonly store: Store,
    private readonly log: Logger,
    opts: StorageProtectionControllerOptions,
  ) {
    this.loop = new LeaderLoop(
      store.storage.client,
      log,
      {
        name: 'storage-protection-controller',
        identity: opts.identity,
        intervalMs: opts.intervalMs ?? 1_000,
        ...(opts.leaseTtlSeconds ? { leaseTtlSeconds: opts.leaseTtlSeconds } : {}),
      },
      () => this.syncAll(),
    );
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** One pass over claims and volumes waiting on their protection finalizer. */
  async syncAll(): Promise<void> {
    const scheme = this.store.scheme;
    const pvcDef = scheme.resource('', 'v1', 'persistentvolumeclaims');
    const pvDef = scheme.resource('', 'v1', 'persistentvolumes');
    const podDef = scheme.resource('', 'v1', 'pods');
    if (pvcDef && podDef) {
      const { items } = await this.store.storage.list(collectionPrefix(pvcDef, ''), {
        predicate: beingDeletedWith(PVC_PROTECTION_FINALIZER),
      });
      for (const pvc of items) {
        const namespace = pvc.metadata?.namespace ?? '';
        const name = pvc.metadata?.name ?? '';
        const pods = await this.store.storage.list(collectionPrefix(podDef, namespace), {
          predicate: (pod) => podUsesClaim(pod, name),
        });
        if (pods.items.length > 0) continue;
        await this.release(
          pvcDef,
          namespace,
          name,
          PVC_PROTECTION_FINALIZER,
          'pvc-protection-controller',
        );
      }
    }
    if (pvDef) {
      const { items } = await this.store.storage.list(collectionPrefix(pvDef, ''), {
        predicate: beingDeletedWith(PV_PROTECTION_FINALIZER),
      });
      for (const pv of items) {
        if ((pv.status as Obj | undefined)?.phase === 'Bound') continue;
        await this.release(
          pvDef,
          '',
          pv.metadata?.name ?? '',
          PV_PROTECTION_FINALIZER,
          'pv-protection-controller',
        );
      }
    }
  }

  /** Drops `finalizer` through the store, which deletes the object with its last one. */
  private async release(
    def: ResourceDefinition,
    namespace: string,
    name: string,
    finalizer: string,
    controller: string,
  ): Promise<void> {
    const gvr = { group: def.group, version: def.version, resource: def.plural };
    const ctx = this.store.context(
      systemAttributes(gvr, namespace, name, controllerUser(controller)),
    );
    try {
      await runUpdate(this.store, ctx, {
        compute(current) {
          const next = structuredClone(current!);
          const meta = next.metadata!;
          meta.finalizers = (meta.finalizers ?? []).filter((f) => f !== finalizer);
          if (meta.finalizers.length === 0) delete meta.finalizers;
          return next;
        },
      });
    } catch (err) {
      if (err instanceof StatusError && err.code === 404) return;
      this.log.warn(
        { err, resource: def.plural, namespace, name },
        `${controller}: release failed`,
      );
    }
  }
}
