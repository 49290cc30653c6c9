// LimitRanger (plugin/pkg/admission/limitranger): a namespace's LimitRanges default the
// requests and limits of new pods' containers (recording what they set in the
// kubernetes.io/limit-ranger annotation) and bound containers, pods and PVC storage.
import { newForbidden, tryParseQuantity, type Quantity } from '@splitplane/apimachinery';
import type { KubeObject } from '@splitplane/scheme';
import type {
  AdmissionAttributes,
  AdmissionContext,
  Operation,
  Plugin,
} from '../../chain/plugin.js';
import { admissionForbidden, type ObjectLister } from '../builtin-support/index.js';
import {
  limitRequestRatioConstraint,
  maxConstraint,
  maxRequestConstraint,
  minConstraint,
} from './constraints.js';
import { podTotals } from './pod-resources.js';
import { resourceList, type ResourceList } from './resource-list.js';

export const LIMIT_RANGER_PLUGIN_NAME = 'LimitRanger';
export const LIMIT_RANGER_ANNOTATION = 'kubernetes.io/limit-ranger';

export interface LimitRangerOptions {
  limitRanges: ObjectLister;
}

type Obj = Record<string, unknown>;
const asObj = (v: unknown): Obj | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined;
const list = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);

interface LimitItem {
  type?: string;
  default?: Obj;
  defaultRequest?: Obj;
  min?: Obj;
  max?: Obj;
  maxLimitRequestRatio?: Obj;
}

const itemsOf = (lr: KubeObject): LimitItem[] => list(asObj(lr.spec)?.limits) as LimitItem[];

export class LimitRangerPlugin implements Plugin {
  readonly name = LIMIT_RANGER_PLUGIN_NAME;

  constructor(private readonly options: LimitRangerOptions) {}

  handles(operation: Operation): boolean {
    return operation === 'CREATE' || operation === 'UPDATE';
  }

  async admit(a: AdmissionAttributes, _context: AdmissionContext): Promise<void> {
    const ranges = await this.rangesFor(a);
    if (!ranges || a.resource.resource !== 'pods') return;
    const pod = asObj(a.object);
    if (!pod) return;
    for (const lr of ranges) mutatePod(lr, pod);
  }

  async validate(a: AdmissionAttributes, _context: AdmissionContext): Promise<void> {
    const ranges = await this.rangesFor(a);
    if (!ranges) return;
    const obj = asObj(a.object);
    if (!obj) return;
    for (const lr of ranges) {
      const errors =
        a.resource.resource === 'pods'
          ? validatePod(lr, asObj(obj.spec) ?? {})
          : a.resource.resource === 'persistentvolumeclaims'
            ? validateClaim(lr, asObj(obj.spec) ?? {})
            : [];
      if (errors.length > 0) throw admissionForbidden(a, aggregate(errors));
    }
  }

  /** The namespace's LimitRanges, or undefined when the request is not one LimitRanger judges. */
  private async rangesFor(a: AdmissionAttributes): Promise<KubeObject[] | undefined> {
    if (a.subresource !== '') return undefined;
    const kind = a.kind.group === '' ? a.kind.kind : '';
    // Containers cannot change after create, so pod updates have nothing to default or bound.
    if (kind === 'Pod' && a.operation === 'UPDATE') return undefined;
    if (kind !== 'Pod' && kind !== 'PersistentVolumeClaim') return undefined;
    if (asObj(a.oldObject?.metadata)?.deletionTimestamp) return undefined;
    try {
      return await this.options.limitRanges.list(a.namespace);
    } catch (err) {
      const e = newForbidden(
        { group: a.resource.group, resource: a.resource.resource },
        a.name || 'Unknown',
        `unable to ${a.operation} ${a.resource.resource} at this time because there was an error enforcing limit ranges`,
      );
      throw Object.assign(e, { cause: err });
    }
  }
}

/** Container defaults of one LimitRange: later Container items override earlier ones. */
function containerDefaults(lr: KubeObject) {
  const requests = new Map<string, unknown>();
  const limits = new Map<string, unknown>();
  for (const item of itemsOf(lr)) {
    if (item.type !== 'Container') continue;
    for (const [k, v] of Object.entries(item.defaultRequest ?? {})) requests.set(k, v);
    for (const [k, v] of Object.entries(item.default ?? {})) limits.set(k, v);
  }
  return { requests, limits };
}

function mutatePod(lr: KubeObject, pod: Obj) {
  const defaults = containerDefaults(lr);
  if (defaults.requests.size === 0 && defaults.limits.size === 0) return;
  const spec = asObj(pod.spec) ?? {};
  const notes: string[] = [];
  const merge = (c: Obj, label: string) => {
    const res = (asObj(c.resources) ?? {}) as Obj;
    const setRequests = fill(res, 'requests', defaults.requests);
    const setLimits = fill(res, 'limits', defaults.limits);
    if (setRequests.length > 0 || setLimits.length > 0) c.resources = res;
    const name = String(c.name ?? '');
    if (setRequests.length > 0)
      notes.push(`${setRequests.sort().join(', ')} request for ${label} ${name}`);
    if (setLimits.length > 0)
      notes.push(`${setLimits.sort().join(', ')} limit for ${label} ${name}`);
  };
  for (const c of list(spec.containers)) merge(c, 'container');
  for (const c of list(spec.initContainers)) merge(c, 'init container');
  if (notes.length > 0) {
    const meta = (asObj(pod.metadata) ?? (pod.metadata = {})) as Obj;
    meta.annotations = {
      ...(asObj(meta.annotations) ?? {}),
      [LIMIT_RANGER_ANNOTATION]: `LimitRanger plugin set: ${notes.join('; ')}`,
    };
  }
}

/** Sets each default the list lacks; returns the names it set. */
function fill(res: Obj, field: 'requests' | 'limits', defaults: Map<string, unknown>): string[] {
  const have = (asObj(res[field]) ?? {}) as Obj;
  const set: string[] = [];
  for (const [k, v] of defaults) {
    if (k in have) continue;
    have[k] = v;
    set.push(k);
  }
  if (set.length > 0) res[field] = have;
  return set;
}

type Check = (
  t: string,
  r: string,
  q: Quantity,
  req: ResourceList,
  lim: ResourceList,
) => string | undefined;

/** Runs `check` for each (sorted) resource of an item's bound, collecting the failures. */
function each(bound: Obj | undefined, run: (resource: string, q: Quantity) => string | undefined) {
  const out: string[] = [];
  for (const resource of Object.keys(bound ?? {}).sort()) {
    const q = tryParseQuantity(bound![resource]);
    if (!q) continue;
    const err = run(resource, q);
    if (err) out.push(err);
  }
  return out;
}

function bounds(item: LimitItem, type: string, requests: ResourceList, limits: ResourceList) {
  const apply = (bound: Obj | undefined, check: Check) =>
    each(bound, (r, q) => check(type, r, q, requests, limits));
  return [
    ...apply(item.min, minConstraint),
    ...apply(item.max, maxConstraint),
    ...apply(item.maxLimitRequestRatio, limitRequestRatioConstraint),
  ];
}

export function validatePod(lr: KubeObject, spec: Obj): string[] {
  const errors: string[] = [];
  for (const item of itemsOf(lr)) {
    if (item.type === 'Container') {
      for (const c of [...list(spec.containers), ...list(spec.initContainers)]) {
        const res = asObj(c.resources) ?? {};
        errors.push(
          ...bounds(item, 'Container', resourceList(res.requests), resourceList(res.limits)),
        );
      }
    }
    if (item.type === 'Pod') {
      errors.push(...bounds(item, 'Pod', podTotals(spec, 'requests'), podTotals(spec, 'limits')));
    }
  }
  return errors;
}

export function validateClaim(lr: KubeObject, spec: Obj): string[] {
  const errors: string[] = [];
  const requests = resourceList(asObj(spec.resources)?.requests);
  for (const item of itemsOf(lr)) {
    if (item.type !== 'PersistentVolumeClaim') continue;
    // A claim's limits are not user input: min judges the request alone, max the request.
    errors.push(...each(item.min, (r, q) => minConstraint(item.type!, r, q, requests, new Map())));
    errors.push(...each(item.max, (r, q) => maxRequestConstraint(item.type!, r, q, requests)));
  }
  return errors;
}

/** utilerrors.NewAggregate(...).Error(): duplicates dropped, several in brackets. */
function aggregate(errors: string[]): string {
  const unique = [...new Set(errors)];
  return unique.length === 1 ? unique[0]! : `[${unique.join(', ')}]`;
}
