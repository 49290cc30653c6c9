// DefaultTolerationSeconds (plugin/pkg/admission/defaulttolerationseconds): every pod
// tolerates the not-ready and unreachable NoExecute taints for a while (300 s by default),
// so a brief node outage does not evict it at once.
import { newBadRequest } from '@splitplane/apimachinery';
import type {
  AdmissionAttributes,
  AdmissionContext,
  Operation,
  Plugin,
} from '../../chain/plugin.js';
import { isResource } from '../builtin-support/index.js';

export const DEFAULT_TOLERATION_SECONDS_PLUGIN_NAME = 'DefaultTolerationSeconds';
export const TAINT_NODE_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_NODE_UNREACHABLE = 'node.kubernetes.io/unreachable';

export interface DefaultTolerationSecondsOptions {
  /** kube's --default-not-ready-toleration-seconds (300). */
  notReadySeconds?: number;
  /** kube's --default-unreachable-toleration-seconds (300). */
  unreachableSeconds?: number;
}

interface Toleration {
  key?: string;
  effect?: string;
}

export class DefaultTolerationSecondsPlugin implements Plugin {
  readonly name = DEFAULT_TOLERATION_SECONDS_PLUGIN_NAME;
  private readonly notReadySeconds: number;
  private readonly unreachableSeconds: number;

  constructor(options: DefaultTolerationSecondsOptions = {}) {
    this.notReadySeconds = options.notReadySeconds ?? 300;
    this.unreachableSeconds = options.unreachableSeconds ?? 300;
  }

  handles(operation: Operation): boolean {
    return operation === 'CREATE' || operation === 'UPDATE';
  }

  async admit(a: AdmissionAttributes, _context: AdmissionContext): Promise<void> {
    if (!isResource(a, '', 'pods') || a.subresource !== '') return;
    const pod = a.object;
    if (!pod || typeof pod !== 'object') throw newBadRequest('expected *api.Pod but got <nil>');
    const spec = ((pod as { spec?: Record<string, unknown> }).spec ??= {});
    const tolerations = Array.isArray(spec.tolerations) ? (spec.tolerations as Toleration[]) : [];
    // An empty key or effect is a wildcard that already covers the taint.
    const covers = (key: string) =>
      tolerations.some((t) => (t.key === key || !t.key) && (t.effect === 'NoExecute' || !t.effect));
    const added: Record<string, unknown>[] = [];
    if (!covers(TAINT_NODE_NOT_READY))
      added.push(toleration(TAINT_NODE_NOT_READY, this.notReadySeconds));
    if (!covers(TAINT_NODE_UNREACHABLE))
      added.push(toleration(TAINT_NODE_UNREACHABLE, this.unreachableSeconds));
    if (added.length > 0) spec.tolerations = [...tolerations, ...added];
  }
}

const toleration = (key: string, seconds: number) => ({
  key,
  operator: 'Exists',
  effect: 'NoExecute',
  tolerationSeconds: seconds,
});
