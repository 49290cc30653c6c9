// Keeps the Service bookkeeping of the cluster right, on one registry replica at a time
// (etcd-lease leader election, as the namespace controller): the `kubernetes` Service is put
// back if deleted or changed (kube re-checks it every 10 s), and allocation keys are repaired.
import type { Logger } from '@splitplane/kit';
import { LeaderLoop } from '../controllers/leader-loop.js';
import type { ServiceAllocator } from '../allocators/service-allocation.js';
import type { Store } from '../store/store.js';
import { AllocationRepair } from './allocation-repair.js';
import { ensureKubernetesService, type KubernetesServiceOptions } from './kubernetes-service.js';

export interface ServiceControllerOptions {
  identity: string;
  kubernetesService: KubernetesServiceOptions;
  /** How often the kubernetes Service is checked (default 10 s). */
  intervalMs?: number;
  /** How often allocations are repaired (default 60 s; a leak goes after two passes). */
  repairIntervalMs?: number;
  leaseTtlSeconds?: number;
}

export class ServiceController {
  private readonly loop: LeaderLoop;
  readonly repair: AllocationRepair;
  private lastRepair = 0;

  constructor(
    private readonly store: Store,
    allocator: ServiceAllocator,
    private readonly log: Logger,
    private readonly opts: ServiceControllerOptions,
  ) {
    this.repair = new AllocationRepair(store, allocator, log);
    const interval = opts.intervalMs ?? 10_000;
    this.loop = new LeaderLoop(
      store.storage.client,
      log,
      {
        name: 'service-controller',
        identity: opts.identity,
        intervalMs: Math.min(interval, this.repairEvery),
        ...(opts.leaseTtlSeconds ? { leaseTtlSeconds: opts.leaseTtlSeconds } : {}),
      },
      () => this.pass(),
    );
  }

  private get repairEvery(): number {
    return this.opts.repairIntervalMs ?? 60_000;
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Checks the kubernetes Service, and repairs allocations when that is due; each on its own. */
  private async pass(): Promise<void> {
    try {
      await ensureKubernetesService(this.store, this.opts.kubernetesService, this.log, 0);
    } catch (err) {
      this.log.warn({ err }, 'service controller: kubernetes service');
    }
    if (Date.now() - this.lastRepair >= this.repairEvery) {
      this.lastRepair = Date.now();
      try {
        await this.repair.runOnce();
      } catch (err) {
        this.log.warn({ err }, 'service controller: allocation repair');
      }
    }
  }
}
