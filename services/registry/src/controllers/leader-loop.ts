// A controller pass run every `intervalMs` on one registry replica at a time: etcd-lease
// leader election, a failing pass is logged and retried on the next tick, and stop() waits
// for the pass in flight.
import type { Logger } from '@splitplane/kit';
import { LeaderElector, type EtcdStorage } from '@splitplane/storage';

export interface LeaderLoopOptions {
  /** Election name and log prefix, e.g. "namespace-controller". */
  name: string;
  identity: string;
  intervalMs: number;
  leaseTtlSeconds?: number;
}

export class LeaderLoop {
  private readonly elector: LeaderElector;
  private running: Promise<void> | undefined;

  constructor(
    client: EtcdStorage['client'],
    private readonly log: Logger,
    private readonly opts: LeaderLoopOptions,
    private readonly pass: (signal: AbortSignal) => Promise<void>,
  ) {
    this.elector = new LeaderElector(client, {
      name: opts.name,
      identity: opts.identity,
      ttlSeconds: opts.leaseTtlSeconds ?? 15,
      retryMs: 2_000,
      onStartedLeading: (signal) => {
        this.log.info(`${opts.name}: leading`);
        this.running = this.loop(signal);
      },
      onError: (err) => this.log.warn({ err }, `${opts.name}: leader election`),
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
    while (!signal.aborted) {
      try {
        await this.pass(signal);
      } catch (err) {
        this.log.warn({ err }, `${this.opts.name}: pass failed`);
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, this.opts.intervalMs);
        signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
      });
    }
  }
}
