// Keeps the Service bookkeeping of the cluster right, on one registry replica at a time
// (etcd-lease leader election, as the namespace controller): the `kubernetes` Service is put
// back if deleted or changed (kube re-checks it every 10 s), and allocation keys are repaired.
import type { Logger } from '@splitplane/kit';
import { LeaderElector } from '@splitplane/storage';
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
  private readonly elector: LeaderElector;
  private running: Promise<void> | undefined;
  readonly repair: AllocationRepair;

  constructor(
    private readonly store: Store,
    allocator: ServiceAllocator,
    private readonly log: Logger,
    private readonly opts: ServiceControllerOptions,
  ) {
    this.repair = new AllocationRepair(store, allocator, log);
    this.elector = new LeaderElector(store.storage.client, {
      name: 'service-controller',
      identity: opts.identity,
      ttlSeconds: opts.leaseTtlSeconds ?? 15,
      retryMs: 2_000,
      onStartedLeading: (signal) => {
        this.log.info('service controller: leading');
        this.running = this.loop(signal);
      },
      onError: (err) => this.log.warn({ err }, 'service controller: leader election'),
    });
  }

  start(): void {
    this.elector.start();
  }

  async stop(): Promise<void> {
    await this.elector.stop();
    await this.running;
  }

  private async loop(signal: AbortSignal): Promise<void> {
    const interval = this.opts.intervalMs ?? 10_000;
    const repairEvery = this.opts.repairIntervalMs ?? 60_000;
    let lastRepair = 0;
    while (!signal.aborted) {
      try {
        await ensureKubernetesService(this.store, this.opts.kubernetesService, this.log, 0);
      } catch (err) {
        this.log.warn({ err }, 'service controller: kubernetes service');
      }
      if (Date.now() - lastRepair >= repairEvery) {
        lastRepair = Date.now();
        try {
          await this.repair.runOnce();
        } catch (err) {
          this.log.warn({ err }, 'service controller: allocation repair');
        }
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(interval, repairEvery));
        signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
      });
    }
  }
}
