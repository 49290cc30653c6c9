// One container list (containers, initContainers, ephemeralContainers) of a PodSpec, after
// kube's validateContainers / validateInitContainers / validateContainerCommon.
import {
  type FieldError,
  duplicate,
  forbidden,
  invalid,
  notFound,
  notSupported,
  required,
} from '@splitplane/apimachinery';
import { type JsonObject, isInt, isObject, objects } from '../internal/json.js';
import { each, isDNS1123Label, isValidPortName, isValidPortNum } from '../internal/meta.js';
import { child, index } from '../internal/path.js';
import { validateEnv, validateEnvFrom } from './env-validation.js';
import { validateLifecycle, validateProbe } from './probe-validation.js';
import { validateResourceRequirements } from './resources-validation.js';

export type ContainerListKind = 'containers' | 'initContainers' | 'ephemeralContainers';

export const SUPPORTED_PORT_PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const MOUNT_PROPAGATION = ['Bidirectional', 'HostToContainer', 'None'];

export interface ContainerContext {
  /** Container names seen so far in this PodSpec (they must be unique across all lists). */
  names: Set<string>;
  /** Volume names of the PodSpec, and whether each is a PVC (for volumeDevices). */
  volumes: Set<string>;
}

export function validateContainerList(
  list: unknown,
  path: string,
  kind: ContainerListKind,
  ctx: ContainerContext,
): FieldError[] {
  const errs: FieldError[] = [];
  if (kind === 'containers' && (!Array.isArray(list) || list.length === 0)) {
    errs.push(required(path, ''));
    return errs;
  }
  objects(list).forEach((c, i) => errs.push(...validateContainer(c, index(path, i), kind, ctx)));
  return errs;
}

function validateContainer(
  c: JsonObject,
  path: string,
  kind: ContainerListKind,
  ctx: ContainerContext,
): FieldError[] {
  const errs: FieldError[] = [];
  const name = c['name'];
  const namePath = child(path, 'name');
  if (typeof name !== 'string' || name === '') {
    errs.push(required(namePath, ''));
  } else {
    errs.push(...each(namePath, name, isDNS1123Label(name)));
    if (ctx.names.has(name)) errs.push(duplicate(namePath, name));
    ctx.names.add(name);
  }
  const image = c['image'];
  if (typeof image !== 'string' || image === '') errs.push(required(child(path, 'image'), ''));
  else if (image.trim() !== image) {
    errs.push(invalid(child(path, 'image'), image, 'must not have leading or trailing whitespace'));
  }

  const isSidecar = kind === 'initContainers' && c['restartPolicy'] === 'Always';
  errs.push(
    ...validateContainerRestartPolicy(c['restartPolicy'], child(path, 'restartPolicy'), kind),
  );
  if (kind === 'ephemeralContainers') {
    for (const f of [
      'ports',
      'livenessProbe',
      'readinessProbe',
      'startupProbe',
      'lifecycle',
      'resources',
    ]) {
      const v = c[f];
      const set = Array.isArray(v)
        ? v.length > 0
        : isObject(v)
          ? Object.keys(v).length > 0
          : v !== undefined && v !== null;
      if (set) errs.push(forbidden(child(path, f), 'cannot be set for an Ephemeral Container'));
    }
  } else if (kind === 'initContainers' && !isSidecar) {
    for (const f of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe']) {
      if (c[f] !== undefined && c[f] !== null) {
        errs.push(
          forbidden(
            child(path, f),
            'may not be set for init containers without restartPolicy=Always',
          ),
        );
      }
    }
  } else {
    errs.push(...validateLifecycle(c['lifecycle'], child(path, 'lifecycle')));
    errs.push(
      ...validateProbe(c['livenessProbe'], child(path, 'livenessProbe'), {
        successThresholdOne: true,
      }),
    );
    errs.push(
      ...validateProbe(c['startupProbe'], child(path, 'startupProbe'), {
        successThresholdOne: true,
      }),
    );
    if (kind === 'containers' || isSidecar) {
      errs.push(
        ...validateProbe(c['readinessProbe'], child(path, 'readinessProbe'), {
          successThresholdOne: false,
        }),
      );
    }
  }

  errs.push(...validatePorts(c['ports'], child(path, 'ports')));
  errs.push(...validateEnv(c['env'], child(path, 'env')));
  errs.push(...validateEnvFrom(c['envFrom'], child(path, 'envFrom')));
  errs.push(...validateVolumeMounts(c['volumeMounts'], child(path, 'volumeMounts'), ctx.volumes));
  errs.push(
    ...validateVolumeDevices(c['volumeDevices'], child(path, 'volumeDevices'), ctx.volumes),
  );
  errs.push(...validateResourceRequirements(c['resources'], child(path, 'resources')));
  errs.push(...validatePullPolicy(c['imagePullPolicy'], child(path, 'imagePullPolicy')));
  errs.push(
    ...validateTerminationMessagePolicy(
      c['terminationMessagePolicy'],
      child(path, 'terminationMessagePolicy'),
    ),
  );
  errs.push(
    ...validateContainerSecurityContext(c['securityContext'], child(path, 'securityContext')),
  );
  return errs;
}

function validateContainerRestartPolicy(
  policy: unknown,
  path: string,
  kind: ContainerListKind,
): FieldError[] {
  if (policy === undefined || policy === null) return [];
  if (kind === 'initContainers') {
    return policy === 'Always' ? [] : [notSupported(path, policy, ['Always'])];
  }
  return [
    forbidden(
      path,
      kind === 'containers'
        ? 'may not be set for non-init containers'
        : 'cannot be set for an Ephemeral Container',
    ),
  ];
}

export function validatePorts(ports: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  objects(ports).forEach((port, i) => {
    const p = index(path, i);
    const name = port['name'];
    if (typeof name === 'string' && name !== '') {
      errs.push(...each(child(p, 'name'), name, isValidPortName(name)));
      if (names.has(name)) errs.push(duplicate(child(p, 'name'), name));
      names.add(name);
    }
    const cp = port['containerPort'];
    if (cp === undefined || cp === null || cp === 0)
      errs.push(required(child(p, 'containerPort'), ''));
    else errs.push(...portNum(cp, child(p, 'containerPort')));
    const hp = port['hostPort'];
    if (hp !== undefined && hp !== null && hp !== 0)
      errs.push(...portNum(hp, child(p, 'hostPort')));
    const proto = port['protocol'];
    if (proto === undefined || proto === null || proto === '')
      errs.push(required(child(p, 'protocol'), ''));
    else if (!SUPPORTED_PORT_PROTOCOLS.includes(String(proto))) {
      errs.push(notSupported(child(p, 'protocol'), proto, SUPPORTED_PORT_PROTOCOLS));
    }
  });
  return errs;
}

function portNum(v: unknown, path: string): FieldError[] {
  const n = isInt(v) ? v : 0;
  return isInt(v)
    ? each(path, n, isValidPortNum(n))
    : [invalid(path, v, 'must be between 1 and 65535, inclusive')];
}

function validateVolumeMounts(mounts: unknown, path: string, volumes: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  const mountPoints = new Set<string>();
  objects(mounts).forEach((m, i) => {
    const p = index(path, i);
    const name = m['name'];
    if (typeof name !== 'string' || name === '') errs.push(required(child(p, 'name'), ''));
    else if (!volumes.has(name)) errs.push(notFound(child(p, 'name'), name));
    const mountPath = m['mountPath'];
    if (typeof mountPath !== 'string' || mountPath === '')
      errs.push(required(child(p, 'mountPath'), ''));
    else {
      if (mountPoints.has(mountPath))
        errs.push(invalid(child(p, 'mountPath'), mountPath, 'must be unique'));
      mountPoints.add(mountPath);
    }
    const subPath = m['subPath'];
    if (typeof subPath === 'string' && subPath !== '')
      errs.push(...validateLocalDescendingPath(subPath, child(p, 'subPath')));
    const expr = m['subPathExpr'];
    if (typeof expr === 'string' && expr !== '') {
      if (typeof subPath === 'string' && subPath !== '') {
        errs.push(
          invalid(child(p, 'subPathExpr'), expr, 'subPathExpr and subPath are mutually exclusive'),
        );
      }
      errs.push(...validateLocalDescendingPath(expr, child(p, 'subPathExpr')));
    }
    const prop = m['mountPropagation'];
    if (prop !== undefined && prop !== null && !MOUNT_PROPAGATION.includes(String(prop))) {
      errs.push(notSupported(child(p, 'mountPropagation'), prop, MOUNT_PROPAGATION));
    }
  });
  return errs;
}

function validateVolumeDevices(devices: unknown, path: string, volumes: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  objects(devices).forEach((d, i) => {
    const p = index(path, i);
    const name = d['name'];
    if (typeof name !== 'string' || name === '') errs.push(required(child(p, 'name'), ''));
    else if (!volumes.has(name)) errs.push(notFound(child(p, 'name'), name));
    if (typeof d['devicePath'] !== 'string' || d['devicePath'] === '')
      errs.push(required(child(p, 'devicePath'), ''));
  });
  return errs;
}

/** A path that stays inside its root: relative and without `..` elements. */
export function validateLocalDescendingPath(target: string, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (target.startsWith('/')) errs.push(invalid(path, target, 'must be a relative path'));
  if (target.split(/[\\/]/).includes('..'))
    errs.push(invalid(path, target, "must not contain '..'"));
  return errs;
}

function validatePullPolicy(policy: unknown, path: string): FieldError[] {
  if (policy === undefined || policy === null || policy === '') return [required(path, '')];
  return PULL_POLICIES.includes(String(policy)) ? [] : [notSupported(path, policy, PULL_POLICIES)];
}

function validateTerminationMessagePolicy(policy: unknown, path: string): FieldError[] {
  if (policy === 'File' || policy === 'FallbackToLogsOnError') return [];
  const detail = "must be 'File' or 'FallbackToLogsOnError'";
  if (policy === undefined || policy === null || policy === '') return [required(path, detail)];
  return [invalid(path, policy, detail)];
}

const MAX_ID = 2147483647;

/** The numeric checks of a SecurityContext that a pod or container can carry. */
export function validateSecurityIds(sc: JsonObject, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of ['runAsUser', 'runAsGroup', 'fsGroup']) {
    const v = sc[f];
    if (v === undefined || v === null) continue;
    if (!isInt(v) || v < 0 || v > MAX_ID)
      errs.push(invalid(child(path, f), v, `must be between 0 and ${MAX_ID}, inclusive`));
  }
  return errs;
}

function validateContainerSecurityContext(sc: unknown, path: string): FieldError[] {
  if (!isObject(sc)) return [];
  const errs = validateSecurityIds(sc, path);
  if (sc['privileged'] === true && sc['allowPrivilegeEscalation'] === false) {
    errs.push(
      invalid(path, sc, 'cannot set `allowPrivilegeEscalation` to false and `privileged` to true'),
    );
  }
  return errs;
}
