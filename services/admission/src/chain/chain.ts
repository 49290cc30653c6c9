// Runs plugins in order: every mutating plugin in `admit`, every validating one in
// `validate`. The registry calls both phases from inside its retry loop.
import { createHash } from 'node:crypto';
import { toStatusError } from '@splitplane/apimachinery';
import { withWarnings } from '@splitplane/kit';
import {
  OPERATIONS,
  type AdmissionAttributes,
  type AdmissionContext,
  type Operation,
  type Plugin,
} from './plugin.js';

/** What a plugin can act on, as the Describe RPC reports it. */
export interface PluginDescription {
  name: string;
  mutating: boolean;
  validating: boolean;
  operations: Operation[];
}

export interface ChainDescription {
  /** A digest of `plugins`: equal chains describe themselves with equal generations. */
  generation: string;
  plugins: PluginDescription[];
}

export class AdmissionChain {
  constructor(readonly plugins: readonly Plugin[]) {}

  /**
   * Describes the chain so callers can skip a phase no plugin handles. Computed on each call
   * because plugins answer `handles` themselves (a webhook plugin's answer follows its
   * configuration); the digest moves whenever the answer does.
   */
  describe(): ChainDescription {
    const plugins = this.plugins.map((p) => ({
      name: p.name,
      mutating: typeof p.admit === 'function',
      validating: typeof p.validate === 'function',
      operations: OPERATIONS.filter((op) => p.handles(op)),
    }));
    const generation = createHash('sha256')
      .update(JSON.stringify(plugins))
      .digest('hex')
      .slice(0, 16);
    return { generation, plugins };
  }

  async admit(attributes: AdmissionAttributes): Promise<AdmissionContext> {
    const context: AdmissionContext = { warnings: [], auditAnnotations: {} };
    try {
      for (const plugin of this.plugins) {
        if (plugin.admit && plugin.handles(attributes.operation))
          await plugin.admit(attributes, context);
      }
    } catch (err) {
      throw failure(err, context);
    }
    return context;
  }

  async validate(attributes: AdmissionAttributes): Promise<AdmissionContext> {
    const context: AdmissionContext = { warnings: [], auditAnnotations: {} };
    try {
      for (const plugin of this.plugins) {
        if (plugin.validate && plugin.handles(attributes.operation))
          await plugin.validate(attributes, context);
      }
    } catch (err) {
      throw failure(err, context);
    }
    return context;
  }
}

/** A denial keeps the warnings recorded before it: kube sends them with the error response. */
function failure(err: unknown, context: AdmissionContext): Error {
  return withWarnings(toStatusError(err), context.warnings);
}
