// Runs plugins in order: every mutating plugin in `admit`, every validating one in
// `validate`. The registry calls both phases from inside its retry loop.
import type { AdmissionAttributes, AdmissionContext, Plugin } from './plugin.js';

export class AdmissionChain {
  constructor(readonly plugins: readonly Plugin[]) {}

  async admit(attributes: AdmissionAttributes): Promise<AdmissionContext> {
    const context: AdmissionContext = { warnings: [], auditAnnotations: {} };
    for (const plugin of this.plugins) {
      if (plugin.admit && plugin.handles(attributes.operation)) await plugin.admit(attributes, context);
    }
    return context;
  }

  async validate(attributes: AdmissionAttributes): Promise<AdmissionContext> {
    const context: AdmissionContext = { warnings: [], auditAnnotations: {} };
    for (const plugin of this.plugins) {
      if (plugin.validate && plugin.handles(attributes.operation)) await plugin.validate(attributes, context);
    }
    return context;
  }
}
