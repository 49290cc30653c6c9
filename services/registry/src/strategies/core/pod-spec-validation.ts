// PodSpec and PodTemplateSpec validation (kube's ValidatePodSpec / ValidatePodTemplateSpec).
import {
  type FieldError,
  duplicate,
  invalid,
  notSupported,
  required,
} from '@splitplane/apimachinery';
import { type JsonObject, isInt, isObject, objects, strings } from '../internal/json.js';
import {
  each,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  validateAnnotations,
  validateLabels,
} from '../internal/meta.js';
import { child, index } from '../internal/path.js';
import { validateContainerList, validateSecurityIds } from './container-validation.js';
import { validateVolumes } from './volume-validation.js';

export const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const DNS_POLICIES = ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'];
const TOLERATION_OPERATORS = ['Equal', 'Exists'];
const TAINT_EFFECTS = ['NoExecute', 'NoSchedule', 'PreferNoSchedule'];
const WHEN_UNSATISFIABLE = ['DoNotSchedule', 'ScheduleAnyway'];
const MAX_INT32 = 2147483647;

export function validatePodSpec(spec: unknown, path: string): FieldError[] {
  if (!isObject(spec)) return [required(path, '')];
  const { errs, names: volumes } = validateVolumes(spec['volumes'], child(path, 'volumes'));
  const ctx = { names: new Set<string>(), volumes };
  errs.push(
    ...validateContainerList(
      spec['initContainers'],
      child(path, 'initContainers'),
      'initContainers',
      ctx,
    ),
  );
  errs.push(
    ...validateContainerList(spec['containers'], child(path, 'containers'), 'containers', ctx),
  );
  errs.push(
    ...validateContainerList(
      spec['ephemeralContainers'],
      child(path, 'ephemeralContainers'),
      'ephemeralContainers',
      ctx,
    ),
  );
  errs.push(...validateHostPorts(spec, path));
  errs.push(...validateRestartPolicy(spec['restartPolicy'], child(path, 'restartPolicy')));
  errs.push(...validateDNSPolicy(spec, path));
  errs.push(...validateLabels(spec['nodeSelector'], child(path, 'nodeSelector')));
  for (const f of ['serviceAccountName', 'nodeName', 'priorityClassName', 'runtimeClassName']) {
    const v = spec[f];
    if (typeof v === 'string' && v !== '')
      errs.push(...each(child(path, f), v, isDNS1123Subdomain(v)));
  }
  const deadline = spec['activeDeadlineSeconds'];
  if (
    deadline !== undefined &&
    deadline !== null &&
    (!isInt(deadline) || deadline < 1 || deadline > MAX_INT32)
  ) {
    errs.push(
      invalid(
        child(path, 'activeDeadlineSeconds'),
        deadline,
        `must be between 1 and ${MAX_INT32}, inclusive`,
      ),
    );
  }
  for (const f of ['hostname', 'subdomain']) {
    const v = spec[f];
    if (typeof v === 'string' && v !== '') errs.push(...each(child(path, f), v, isDNS1123Label(v)));
  }
  errs.push(...validateTolerations(spec['tolerations'], child(path, 'tolerations')));
  objects(spec['imagePullSecrets']).forEach((s, i) => {
    if (typeof s['name'] !== 'string' || s['name'] === '')
      errs.push(required(child(index(child(path, 'imagePullSecrets'), i), 'name'), ''));
  });
  if (isObject(spec['securityContext']))
    errs.push(...validateSecurityIds(spec['securityContext'], child(path, 'securityContext')));
  errs.push(
    ...validateTopologySpread(
      spec['topologySpreadConstraints'],
      child(path, 'topologySpreadConstraints'),
    ),
  );
  objects(spec['schedulingGates']).forEach((g, i) => {
    const p = child(index(child(path, 'schedulingGates'), i), 'name');
    const name = typeof g['name'] === 'string' ? g['name'] : '';
    errs.push(...each(p, name, isQualifiedName(name)));
  });
  objects(spec['readinessGates']).forEach((g, i) => {
    const p = child(index(child(path, 'readinessGates'), i), 'conditionType');
    const t = typeof g['conditionType'] === 'string' ? g['conditionType'] : '';
    errs.push(...each(p, t, isQualifiedName(t)));
  });
  const grace = spec['terminationGracePeriodSeconds'];
  if (grace !== undefined && grace !== null && !isInt(grace)) {
    errs.push(invalid(child(path, 'terminationGracePeriodSeconds'), grace, 'must be an integer'));
  }
  return errs;
}

export function validateRestartPolicy(policy: unknown, path: string): FieldError[] {
  if (policy === undefined || policy === null || policy === '') return [required(path, '')];
  return RESTART_POLICIES.includes(String(policy))
    ? []
    : [notSupported(path, policy, RESTART_POLICIES)];
}

function validateDNSPolicy(spec: JsonObject, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const policy = spec['dnsPolicy'];
  if (policy === undefined || policy === null || policy === '')
    errs.push(required(child(path, 'dnsPolicy'), ''));
  else if (!DNS_POLICIES.includes(String(policy)))
    errs.push(notSupported(child(path, 'dnsPolicy'), policy, DNS_POLICIES));
  const cfg = spec['dnsConfig'];
  if (policy === 'None') {
    if (!isObject(cfg)) {
      errs.push(
        required(child(path, 'dnsConfig'), `must provide \`dnsConfig\` when \`dnsPolicy\` is None`),
      );
    } else if (strings(cfg['nameservers']).length === 0) {
      errs.push(
        required(
          child(path, 'dnsConfig', 'nameservers'),
          'must provide at least one DNS nameserver when `dnsPolicy` is None',
        ),
      );
    }
  }
  if (isObject(cfg)) {
    const ns = strings(cfg['nameservers']);
    if (ns.length > 3)
      errs.push(
        invalid(
          child(path, 'dnsConfig', 'nameservers'),
          ns,
          'must not have more than 3 nameservers',
        ),
      );
  }
  return errs;
}

export function validateTolerations(tolerations: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  objects(tolerations).forEach((t, i) => {
    const p = index(path, i);
    const key = typeof t['key'] === 'string' ? t['key'] : '';
    if (key !== '') errs.push(...each(child(p, 'key'), key, isQualifiedName(key)));
    const op = t['operator'];
    if (key === '' && op !== 'Exists') {
      errs.push(
        invalid(
          child(p, 'operator'),
          op ?? '',
          'operator must be Exists when `key` is empty, which means "match all values and all keys"',
        ),
      );
    }
    if (
      t['tolerationSeconds'] !== undefined &&
      t['tolerationSeconds'] !== null &&
      t['effect'] !== 'NoExecute'
    ) {
      errs.push(
        invalid(
          child(p, 'effect'),
          t['effect'] ?? '',
          "effect must be 'NoExecute' when `tolerationSeconds` is set",
        ),
      );
    }
    const value = typeof t['value'] === 'string' ? t['value'] : '';
    if (op === undefined || op === null || op === '' || op === 'Equal') {
      errs.push(...each(child(p, 'operator'), value, isValidLabelValue(value)));
    } else if (op === 'Exists') {
      if (value !== '')
        errs.push(
          invalid(child(p, 'operator'), t, "value must be empty when `operator` is 'Exists'"),
        );
    } else {
      errs.push(notSupported(child(p, 'operator'), op, TOLERATION_OPERATORS));
    }
    const effect = t['effect'];
    if (
      effect !== undefined &&
      effect !== null &&
      effect !== '' &&
      !TAINT_EFFECTS.includes(String(effect))
    ) {
      errs.push(notSupported(child(p, 'effect'), effect, TAINT_EFFECTS));
    }
  });
  return errs;
}

function validateHostPorts(spec: JsonObject, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  for (const list of ['initContainers', 'containers']) {
    objects(spec[list]).forEach((c, ci) => {
      objects(c['ports']).forEach((port, pi) => {
        const hp = port['hostPort'];
        if (!isInt(hp) || hp === 0) return;
        const k = `${port['protocol'] ?? 'TCP'}/${port['hostIP'] ?? ''}/${hp}`;
        if (seen.has(k))
          errs.push(
            duplicate(
              child(index(child(index(child(path, list), ci), 'ports'), pi), 'hostPort'),
              k,
            ),
          );
        seen.add(k);
      });
    });
  }
  return errs;
}

function validateTopologySpread(constraints: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  objects(constraints).forEach((c, i) => {
    const p = index(path, i);
    const skew = c['maxSkew'];
    if (!isInt(skew) || skew <= 0)
      errs.push(invalid(child(p, 'maxSkew'), skew ?? 0, 'must be greater than zero'));
    const key = typeof c['topologyKey'] === 'string' ? c['topologyKey'] : '';
    if (key === '') errs.push(required(child(p, 'topologyKey'), 'can not be empty'));
    else errs.push(...each(child(p, 'topologyKey'), key, isQualifiedName(key)));
    const w = c['whenUnsatisfiable'];
    if (!WHEN_UNSATISFIABLE.includes(String(w)))
      errs.push(notSupported(child(p, 'whenUnsatisfiable'), w ?? '', WHEN_UNSATISFIABLE));
  });
  return errs;
}

/** A pod template inside a workload: template metadata labels/annotations plus its PodSpec. */
export function validatePodTemplateSpec(template: unknown, path: string): FieldError[] {
  if (!isObject(template)) return [required(path, '')];
  const meta = isObject(template['metadata']) ? template['metadata'] : {};
  return [
    ...validateLabels(meta['labels'], child(path, 'metadata', 'labels')),
    ...validateAnnotations(meta['annotations'], child(path, 'metadata', 'annotations')),
    ...validatePodSpec(template['spec'], child(path, 'spec')),
  ];
}
