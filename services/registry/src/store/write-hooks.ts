// Per-kind steps the generic store runs inside its write path, after kube's Store hooks
// (BeginCreate, BeginUpdate, AfterDelete). They are where side effects live that a strategy,
// being pure, cannot hold: Service IP and node port allocation. A begin hook may reserve
// things and returns how to commit or undo them; the store commits once the etcd write has
// succeeded and reverts on every failure (validation, admission, conflict, AlreadyExists),
// including each lost CAS attempt of an update before it is retried.
import type { KubeObject } from '@splitplane/scheme';
import type { WriteContext } from './context.js';

export interface Finish {
  /** The write is stored: make deferred effects (releases) happen. */
  commit(): Promise<void>;
  /** The write failed or is retried: undo what begin reserved. */
  revert(): Promise<void>;
}

export interface WriteHooks {
  /** After the strategy's prepareForCreate, before validation. May change `obj`. */
  beginCreate?(ctx: WriteContext, obj: KubeObject): Promise<Finish | undefined>;
  /** After the strategy's prepareForUpdate (main resource only), before validation. */
  beginUpdate?(ctx: WriteContext, obj: KubeObject, old: KubeObject): Promise<Finish | undefined>;
  /** The same for a /status update (a pod finishing gives its quota back). */
  beginStatusUpdate?(
    ctx: WriteContext,
    obj: KubeObject,
    old: KubeObject,
  ): Promise<Finish | undefined>;
  /** After the object has been removed from etcd (never on dryRun). */
  afterDelete?(ctx: WriteContext, obj: KubeObject): Promise<void>;
}

/** The begin-hook effects of one write attempt. */
export class PendingEffects {
  private finishes: Finish[] = [];

  add(finish: Finish | undefined): void {
    if (finish) this.finishes.push(finish);
  }

  async commit(): Promise<void> {
    const list = this.take();
    for (const f of list) await f.commit();
  }

  async revert(): Promise<void> {
    const list = this.take();
    for (const f of list.reverse()) await f.revert();
  }

  private take(): Finish[] {
    const list = this.finishes;
    this.finishes = [];
    return list;
  }
}
