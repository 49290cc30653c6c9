// The ResourceQuota admission plugin (kube's QuotaAdmission): validating only, for every
// namespaced create and update some evaluator handles; namespaces themselves and kube's
// ignored resources (events, reviews...) pass untouched.
import type {
  AdmissionAttributes,
  AdmissionContext,
  Operation,
  Plugin,
} from '../../chain/plugin.js';
import { evaluatorFor, isIgnoredResource } from './evaluators/registry.js';
import type { QuotaBatcher } from './quota-batcher.js';

export const RESOURCE_QUOTA_PLUGIN_NAME = 'ResourceQuota';

export class ResourceQuotaPlugin implements Plugin {
  readonly name = RESOURCE_QUOTA_PLUGIN_NAME;

  constructor(private readonly batcher: QuotaBatcher) {}

  handles(operation: Operation): boolean {
    return operation === 'CREATE' || operation === 'UPDATE';
  }

  async validate(attrs: AdmissionAttributes, _context: AdmissionContext): Promise<void> {
    if (attrs.namespace === '') return;
    if (attrs.operation === 'CREATE' && attrs.kind.group === '' && attrs.kind.kind === 'Namespace')
      return;
    const { group, resource } = attrs.resource;
    if (isIgnoredResource(group, resource)) return;
    const evaluator = evaluatorFor(group, resource);
    if (!evaluator.handles(attrs)) return;
    await this.batcher.evaluate(attrs, evaluator);
  }
}
