// Priority (plugin/pkg/admission/priority): a new pod's spec.priority and preemptionPolicy
// come from its PriorityClass (or the global default class); only one class may be the
// global default.
import { newBadRequest, newInternalError } from '@splitplane/apimachinery';
import type { KubeObject } from '@splitplane/scheme';
import type {
  AdmissionAttributes,
  AdmissionContext,
  Operation,
  Plugin,
} from '../../chain/plugin.js';
import { admissionForbidden, isResource, type ObjectLister } from '../builtin-support/index.js';

export const PRIORITY_PLUGIN_NAME = 'Priority';
/** scheduling.DefaultPriorityWhenNoDefaultClassExists */
const DEFAULT_PRIORITY = 0;
const DEFAULT_PREEMPTION_POLICY = 'PreemptLowerPriority';

export interface PriorityOptions {
  priorityClasses: ObjectLister;
}

interface PriorityClassLike {
  metadata?: { name?: string };
  value?: number;
  globalDefault?: boolean;
  preemptionPolicy?: string;
}

interface PodSpecLike {
  priorityClassName?: string;
  priority?: number;
  preemptionPolicy?: string;
}

const specOf = (o: KubeObject | undefined): PodSpecLike | undefined =>
  o && typeof o.spec === 'object' && o.spec !== null ? (o.spec as PodSpecLike) : undefined;

export class PriorityPlugin implements Plugin {
  readonly name = PRIORITY_PLUGIN_NAME;

  constructor(private readonly options: PriorityOptions) {}

  handles(operation: Operation): boolean {
    return operation === 'CREATE' || operation === 'UPDATE';
  }

  async admit(a: AdmissionAttributes, _context: AdmissionContext): Promise<void> {
    if (a.subresource !== '' || !isResource(a, '', 'pods')) return;
    const spec = specOf(a.object);
    if (!spec)
      throw newBadRequest('resource was marked with kind Pod but was unable to be converted');
    if (a.operation === 'UPDATE') {
      // Set at create; an update that drops them keeps them (validation forbids changes).
      const old = specOf(a.oldObject);
      if (spec.priority === undefined && old?.priority !== undefined) spec.priority = old.priority;
      if (spec.preemptionPolicy === undefined && old?.preemptionPolicy !== undefined)
        spec.preemptionPolicy = old.preemptionPolicy;
      return;
    }
    if (a.operation !== 'CREATE') return;

    const { className, priority, preemptionPolicy } = await this.establish(
      a,
      spec.priorityClassName,
    );
    if (className) spec.priorityClassName = className;
    else delete spec.priorityClassName;
    if (spec.priority !== undefined && spec.priority !== null && spec.priority !== priority) {
      throw admissionForbidden(
        a,
        `the integer value of priority (${spec.priority}) must not be provided in pod spec; priority admission controller computed ${priority} from the given PriorityClass name`,
      );
    }
    spec.priority = priority;
    if (preemptionPolicy !== undefined) {
      if (spec.preemptionPolicy && spec.preemptionPolicy !== preemptionPolicy) {
        throw admissionForbidden(
          a,
          `the string value of PreemptionPolicy (${spec.preemptionPolicy}) must not be provided in pod spec; priority admission controller computed ${preemptionPolicy} from the given PriorityClass name`,
        );
      }
      spec.preemptionPolicy = preemptionPolicy;
    }
  }

  async validate(a: AdmissionAttributes, _context: AdmissionContext): Promise<void> {
    if (a.subresource !== '' || !isResource(a, 'scheduling.k8s.io', 'priorityclasses')) return;
    const pc = a.object as PriorityClassLike | undefined;
    if (!pc)
      throw newBadRequest(
        'resource was marked with kind PriorityClass but was unable to be converted',
      );
    if (!pc.globalDefault) return;
    const current = await this.defaultClass();
    if (!current) return;
    if (a.operation === 'CREATE' || current.metadata?.name !== pc.metadata?.name) {
      throw admissionForbidden(
        a,
        `PriorityClass ${current.metadata?.name ?? ''} is already marked as default. Only one default can exist`,
      );
    }
  }

  private async establish(a: AdmissionAttributes, name: string | undefined) {
    if (!name) {
      let pc: PriorityClassLike | undefined;
      try {
        pc = await this.defaultClass();
      } catch (err) {
        throw newInternalError(
          new Error(`error occurred while retrieving default priority class: ${message(err)}`, {
            cause: err,
          }),
        );
      }
      if (!pc)
        return {
          className: '',
          priority: DEFAULT_PRIORITY,
          preemptionPolicy: DEFAULT_PREEMPTION_POLICY,
        };
      return {
        className: pc.metadata?.name ?? '',
        priority: pc.value ?? 0,
        preemptionPolicy: pc.preemptionPolicy,
      };
    }
    let pc: PriorityClassLike | undefined;
    try {
      pc = (await this.options.priorityClasses.get('', name)) as PriorityClassLike | undefined;
    } catch (err) {
      throw newInternalError(
        new Error(`failed to resolve PriorityClass with name ${name}: ${message(err)}`, {
          cause: err,
        }),
      );
    }
    if (!pc) throw admissionForbidden(a, `no PriorityClass with name ${name} was found`);
    return { className: name, priority: pc.value ?? 0, preemptionPolicy: pc.preemptionPolicy };
  }

  /** After a race two classes may be default: the lowest value wins, as in kube. */
  private async defaultClass(): Promise<PriorityClassLike | undefined> {
    const all = (await this.options.priorityClasses.list('')) as PriorityClassLike[];
    let best: PriorityClassLike | undefined;
    for (const pc of all) {
      if (pc.globalDefault && (best === undefined || (best.value ?? 0) > (pc.value ?? 0)))
        best = pc;
    }
    return best;
  }
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));
