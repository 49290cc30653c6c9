// PriorityClass strategy (scheduling.k8s.io/v1; kube's ValidatePriorityClass and
// ValidatePriorityClassUpdate, SetDefaults_PriorityClass).
import type { ResourceDefinition } from '@splitplane/scheme';
import {
  type FieldError,
  forbidden,
  notSupported,
  required,
  validateImmutableField,
} from '@splitplane/apimachinery';
import type { Strategy } from '../strategy.js';
import { buildStrategy } from '../internal/base.js';
import { type JsonObject, isInt, isObject } from '../internal/json.js';

export const SYSTEM_PRIORITY_CLASS_PREFIX = 'system-';
/** The highest value a user-defined class may have; higher ones are the system's. */
export const HIGHEST_USER_DEFINABLE_PRIORITY = 1_000_000_000;

export interface SystemPriorityClass {
  name: string;
  value: number;
  globalDefault: boolean;
  description: string;
}

/** The classes kube-apiserver creates at start (scheduling/v1 SystemPriorityClasses). */
export const SYSTEM_PRIORITY_CLASSES: readonly SystemPriorityClass[] = [
  {
    name: 'system-node-critical',
    value: 2_000_001_000,
    globalDefault: false,
    description: 'Used for system critical pods that must not be moved from their current node.',
  },
  {
    name: 'system-cluster-critical',
    value: 2_000_000_000,
    globalDefault: false,
    description:
      'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.',
  },
];

/** undefined when the name is a known system class with its exact value and globalDefault. */
function systemClassMismatch(name: string, value: number, globalDefault: boolean) {
  const spc = SYSTEM_PRIORITY_CLASSES.find((c) => c.name === name);
  if (!spc) return `${name} is not a known system priority class`;
  if (spc.value !== value) return `value of ${spc.name} PriorityClass must be ${spc.value}`;
  if (spc.globalDefault !== globalDefault) {
    return `globalDefault of ${spc.name} PriorityClass must be ${spc.globalDefault}`;
  }
  return undefined;
}

const PREEMPTION_POLICIES = ['PreemptLowerPriority', 'Never'];

// Go decodes an absent value as 0.
const valueOf = (pc: JsonObject): number => (isInt(pc['value']) ? pc['value'] : 0);

export function validatePriorityClass(pc: JsonObject): FieldError[] {
  const errs: FieldError[] = [];
  const meta = isObject(pc['metadata']) ? pc['metadata'] : {};
  const name = typeof meta['name'] === 'string' ? meta['name'] : '';
  const value = valueOf(pc);
  if (name.startsWith(SYSTEM_PRIORITY_CLASS_PREFIX)) {
    const why = systemClassMismatch(name, value, pc['globalDefault'] === true);
    if (why !== undefined) {
      errs.push(
        forbidden(
          'metadata.name',
          `priority class names with '${SYSTEM_PRIORITY_CLASS_PREFIX}' prefix are reserved for system use only. error: ${why}`,
        ),
      );
    }
  } else if (value > HIGHEST_USER_DEFINABLE_PRIORITY) {
    errs.push(
      forbidden(
        'value',
        `maximum allowed value of a user defined priority is ${HIGHEST_USER_DEFINABLE_PRIORITY}`,
      ),
    );
  }
  const policy = pc['preemptionPolicy'];
  if (policy !== undefined && policy !== null) {
    if (policy === '') errs.push(required('preemptionPolicy'));
    else if (!PREEMPTION_POLICIES.includes(policy as string)) {
      errs.push(notSupported('preemptionPolicy', policy, PREEMPTION_POLICIES));
    }
  }
  return errs;
}

export function validatePriorityClassUpdate(pc: JsonObject, old: JsonObject): FieldError[] {
  const errs: FieldError[] = [];
  if (valueOf(pc) !== valueOf(old))
    errs.push(forbidden('value', 'may not be changed in an update.'));
  errs.push(
    ...validateImmutableField(pc['preemptionPolicy'], old['preemptionPolicy'], 'preemptionPolicy'),
  );
  return errs;
}

export function priorityClassStrategy(def: ResourceDefinition): Strategy {
  return buildStrategy(def, {
    defaults(pc) {
      if (pc['preemptionPolicy'] === undefined || pc['preemptionPolicy'] === null) {
        pc['preemptionPolicy'] = 'PreemptLowerPriority';
      }
    },
    validate: validatePriorityClass,
    validateUpdate: validatePriorityClassUpdate,
  });
}
