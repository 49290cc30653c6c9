// TaintNodesByCondition (plugin/pkg/admission/nodetaint): a new Node starts tainted
// not-ready:NoSchedule, so nothing schedules there until the node lifecycle controller has
// seen it ready and lifted the taint.
import type {
  AdmissionAttributes,
  AdmissionContext,
  Operation,
  Plugin,
} from '../../chain/plugin.js';
import { admissionForbidden, isResource } from '../builtin-support/index.js';

export const TAINT_NODES_BY_CONDITION_PLUGIN_NAME = 'TaintNodesByCondition';
const NOT_READY = 'node.kubernetes.io/not-ready';

export class TaintNodesByConditionPlugin implements Plugin {
  readonly name = TAINT_NODES_BY_CONDITION_PLUGIN_NAME;

  handles(operation: Operation): boolean {
    return operation === 'CREATE';
  }

  async admit(a: AdmissionAttributes, _context: AdmissionContext): Promise<void> {
    if (a.subresource !== '' || !isResource(a, '', 'nodes')) return;
    const node = a.object as { spec?: { taints?: Array<{ key?: string; effect?: string }> } };
    if (!node || typeof node !== 'object')
      throw admissionForbidden(a, `unexpected type ${typeof a.object}`);
    const spec = (node.spec ??= {});
    const taints = Array.isArray(spec.taints) ? spec.taints : [];
    // kube's MatchTaint: the same key and effect, whatever the value.
    if (taints.some((t) => t.key === NOT_READY && t.effect === 'NoSchedule')) return;
    spec.taints = [...taints, { key: NOT_READY, effect: 'NoSchedule' }];
  }
}

export const taintNodesByConditionFactory = () => new TaintNodesByConditionPlugin();
