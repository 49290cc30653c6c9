// Node strategy (pkg/registry/core/node): kubelets create nodes with their status, so
// status survives create; podCIDR(s) and providerID only go from unset to set.
import type { ResourceDefinition } from '@splitplane/scheme';
import { type FieldError, invalid, notSupported, required } from '@splitplane/apimachinery';
import type { Strategy } from '../strategy.js';
import { buildStrategy } from '../internal/base.js';
import { type JsonObject, clone, isObject, objects, strings } from '../internal/json.js';
import { each, isQualifiedName, isValidLabelValue } from '../internal/meta.js';
import { INVALID_CIDR, isValidCIDR } from '../internal/net.js';
import { child, index } from '../internal/path.js';

const TAINT_EFFECTS = ['NoExecute', 'NoSchedule', 'PreferNoSchedule'];

function specOf(node: JsonObject): JsonObject {
  return isObject(node['spec']) ? node['spec'] : {};
}

function validateNodeSpec(node: JsonObject): FieldError[] {
  const spec = specOf(node);
  const errs: FieldError[] = [];
  strings(spec['podCIDRs']).forEach((c, i) => {
    if (!isValidCIDR(c)) errs.push(invalid(index('spec.podCIDRs', i), c, INVALID_CIDR));
  });
  if (strings(spec['podCIDRs']).length > 2)
    errs.push(
      invalid(
        'spec.podCIDRs',
        spec['podCIDRs'],
        'may specify no more than one CIDR for each IP family',
      ),
    );
  const seen = new Set<string>();
  objects(spec['taints']).forEach((t, i) => {
    const p = index('spec.taints', i);
    const key = typeof t['key'] === 'string' ? t['key'] : '';
    if (key === '') errs.push(required(child(p, 'key'), ''));
    else errs.push(...each(child(p, 'key'), key, isQualifiedName(key)));
    const value = typeof t['value'] === 'string' ? t['value'] : '';
    errs.push(...each(child(p, 'value'), value, isValidLabelValue(value)));
    const effect = t['effect'];
    if (!effect) errs.push(required(child(p, 'effect'), ''));
    else if (!TAINT_EFFECTS.includes(String(effect)))
      errs.push(notSupported(child(p, 'effect'), effect, TAINT_EFFECTS));
    const k = `${key}:${String(effect)}`;
    if (seen.has(k)) errs.push(invalid(p, t, 'taints must be unique by key and effect pair'));
    seen.add(k);
  });
  return errs;
}

function validateNodeUpdate(node: JsonObject, old: JsonObject): FieldError[] {
  const spec = specOf(node);
  const oldSpec = specOf(old);
  const errs: FieldError[] = [];
  const oldCIDRs = strings(oldSpec['podCIDRs']);
  if (
    oldCIDRs.length > 0 &&
    JSON.stringify(strings(spec['podCIDRs'])) !== JSON.stringify(oldCIDRs)
  ) {
    errs.push(
      invalid(
        'spec.podCIDRs',
        spec['podCIDRs'] ?? [],
        'node updates may not change podCIDR except from "" to valid',
      ),
    );
  }
  if (oldSpec['providerID'] && spec['providerID'] !== oldSpec['providerID']) {
    errs.push(
      invalid(
        'spec.providerID',
        spec['providerID'] ?? '',
        'node updates may not change providerID except from "" to valid',
      ),
    );
  }
  return errs;
}

export function nodeStrategy(def: ResourceDefinition): Strategy {
  const strategy = buildStrategy(def, {
    defaults(node) {
      const status = node['status'];
      // Allocatable defaults to capacity (SetDefaults_NodeStatus).
      if (isObject(status) && isObject(status['capacity']) && status['allocatable'] === undefined) {
        status['allocatable'] = clone(status['capacity']);
      }
    },
    validate: validateNodeSpec,
    validateUpdate: validateNodeUpdate,
  });
  const base = strategy.prepareForCreate.bind(strategy);
  return {
    ...strategy,
    prepareForCreate(node) {
      const status = node['status'];
      base(node);
      // Nodes may set every field on create, status included.
      if (status !== undefined) node['status'] = status;
    },
  };
}
