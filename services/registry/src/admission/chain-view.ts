// The registry's view of what the admission chain can act on, from the Describe RPC. Like
// kube-apiserver, which makes no webhook call when no webhook matches, the registry skips a
// phase that no plugin handles for the operation. The view is refreshed periodically, so a
// plugin enabled on the admission service is consulted at most one refresh interval (plus
// one Describe round trip) later: the same kind of propagation delay kube-apiserver has for
// webhook configurations, which it learns through an informer.
import type { DescribeResponse } from '@splitplane/proto';
import type { AdmissionOperation, AdmissionPhase } from './admission.js';

export class ChainView {
  private readonly mutating = new Set<string>();
  private readonly validating = new Set<string>();

  constructor(
    readonly generation: string,
    /** Date.now() when the description was received. */
    readonly fetchedAt: number,
    description: DescribeResponse,
  ) {
    for (const plugin of description.plugins) {
      for (const op of plugin.operations) {
        if (plugin.mutating) this.mutating.add(op);
        if (plugin.validating) this.validating.add(op);
      }
    }
  }

  static of(description: DescribeResponse, now = Date.now()): ChainView {
    return new ChainView(description.generation, now, description);
  }

  /** Whether some plugin of the chain acts in `phase` on `operation`. */
  needs(phase: AdmissionPhase, operation: AdmissionOperation): boolean {
    return (phase === 'admit' ? this.mutating : this.validating).has(operation);
  }
}
