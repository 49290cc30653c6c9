// RuntimeClass (plugin/pkg/admission/runtimeclass): a new pod takes its RuntimeClass's
// overhead and scheduling constraints; a pod may not bring an overhead of its own.
import { compareQuantities, newBadRequest, tryParseQuantity } from '@splitplane/apimachinery';
import type { KubeObject } from '@splitplane/scheme';
import type {
  AdmissionAttributes,
  AdmissionContext,
  Operation,
  Plugin,
} from '../../chain/plugin.js';
import { admissionForbidden, isResource } from '../builtin-support/index.js';
import { goQuote } from '../pod-security/format.js';
import { mergeTolerations, type Toleration } from './tolerations.js';

export const RUNTIME_CLASS_PLUGIN_NAME = 'RuntimeClass';

export interface RuntimeClassLister {
  /** The RuntimeClass (read live on a cache miss, as kube does), or undefined. */
  get(name: string): Promise<KubeObject | undefined>;
}

export interface RuntimeClassOptions {
  runtimeClasses: RuntimeClassLister;
}

type Obj = Record<string, unknown>;
const asObj = (v: unknown): Obj | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined;

interface RuntimeClassLike {
  overhead?: { podFixed?: Record<string, unknown> };
  scheduling?: { nodeSelector?: Record<string, string>; tolerations?: Toleration[] };
}

/** apiequality.Semantic on two resource lists: same names, equal quantities. */
function sameResources(a: Obj | undefined, b: Obj | undefined): boolean {
  const ak = Object.keys(a ?? {});
  const bk = Object.keys(b ?? {});
  if (ak.length !== bk.length) return false;
  return ak.every((k) => {
    if (!(k in (b ?? {}))) return false;
    const qa = tryParseQuantity(a![k]);
    const qb = tryParseQuantity(b![k]);
    return qa && qb ? compareQuantities(qa, qb) === 0 : a![k] === b![k];
  });
}

const OVERHEAD_MISMATCH =
  "pod rejected: Pod's Overhead doesn't match RuntimeClass's defined Overhead";

export class RuntimeClassPlugin implements Plugin {
  readonly name = RUNTIME_CLASS_PLUGIN_NAME;

  constructor(private readonly options: RuntimeClassOptions) {}

  handles(operation: Operation): boolean {
    return operation === 'CREATE';
  }

  async admit(a: AdmissionAttributes, _context: AdmissionContext): Promise<void> {
    const prepared = await this.prepare(a);
    if (!prepared) return;
    const { spec, rc } = prepared;
    if (!rc) return;
    const podFixed = rc.overhead?.podFixed;
    if (podFixed) {
      const own = asObj(spec.overhead);
      if (own && Object.keys(own).length > 0 && !sameResources(podFixed, own))
        throw admissionForbidden(a, OVERHEAD_MISMATCH);
      spec.overhead = { ...podFixed };
    }
    const scheduling = rc.scheduling;
    if (scheduling) {
      const fromClass = scheduling.nodeSelector ?? {};
      const podSelector = asObj(spec.nodeSelector) as Record<string, string> | undefined;
      let selector: Record<string, string> | undefined;
      if (!podSelector) {
        selector = Object.keys(fromClass).length > 0 ? { ...fromClass } : undefined;
      } else {
        selector = podSelector;
        for (const key of Object.keys(fromClass).sort()) {
          const want = fromClass[key]!;
          const have = podSelector[key];
          if (have !== undefined && have !== want)
            throw admissionForbidden(
              a,
              `conflict: runtimeClass.scheduling.nodeSelector[${key}] = ${want}; pod.spec.nodeSelector[${key}] = ${have}`,
            );
          selector[key] = want;
        }
      }
      if (selector) spec.nodeSelector = selector;
      const podTolerations = Array.isArray(spec.tolerations)
        ? (spec.tolerations as Toleration[])
        : [];
      const merged = mergeTolerations(podTolerations, scheduling.tolerations ?? []);
      if (merged.length > 0) spec.tolerations = merged;
    }
  }

  async validate(a: AdmissionAttributes, _context: AdmissionContext): Promise<void> {
    const prepared = await this.prepare(a);
    if (!prepared) return;
    const { spec, rc } = prepared;
    const own = asObj(spec.overhead);
    const podFixed = rc?.overhead?.podFixed;
    if (podFixed) {
      if (!sameResources(podFixed, own)) throw admissionForbidden(a, OVERHEAD_MISMATCH);
    } else if (own && Object.keys(own).length > 0) {
      throw admissionForbidden(
        a,
        'pod rejected: Pod Overhead set without corresponding RuntimeClass defined Overhead',
      );
    }
  }

  private async prepare(a: AdmissionAttributes) {
    if (a.subresource !== '' || !isResource(a, '', 'pods')) return undefined;
    const pod = asObj(a.object);
    if (!pod)
      throw newBadRequest('Resource was marked with kind Pod but was unable to be converted');
    const spec = (asObj(pod.spec) ?? (pod.spec = {})) as Obj;
    const name = spec.runtimeClassName;
    if (typeof name !== 'string') return { spec, rc: undefined };
    const rc = (await this.options.runtimeClasses.get(name)) as RuntimeClassLike | undefined;
    if (!rc) throw admissionForbidden(a, `pod rejected: RuntimeClass ${goQuote(name)} not found`);
    return { spec, rc };
  }
}
