// ServiceAccount (plugin/pkg/admission/serviceaccount): a new pod runs as a service account
// that must exist ("default" unless named), gets its image pull secrets when it has none,
// and mounts a projected API token volume unless automounting is off. Mirror pods may not
// reference service accounts or secrets at all.
import { newNotFound, StatusError } from '@splitplane/apimachinery';
import type { KubeObject } from '@splitplane/scheme';
import type {
  AdmissionAttributes,
  AdmissionContext,
  Operation,
  Plugin,
} from '../../chain/plugin.js';
import { admissionForbidden, isResource } from '../builtin-support/index.js';
import {
  ephemeralSecretReferenceViolation,
  podHasSecrets,
  secretReferenceViolation,
} from './secret-references.js';
import {
  DEFAULT_API_TOKEN_MOUNT_PATH,
  SERVICE_ACCOUNT_VOLUME_NAME,
  generateName as defaultGenerateName,
  tokenVolume,
} from './token-volume.js';

export const SERVICE_ACCOUNT_PLUGIN_NAME = 'ServiceAccount';
export const DEFAULT_SERVICE_ACCOUNT_NAME = 'default';
export const ENFORCE_MOUNTABLE_SECRETS_ANNOTATION = 'kubernetes.io/enforce-mountable-secrets';
export const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';

export interface ServiceAccountLister {
  /**
   * The service account, or undefined when it does not exist. Implementations fall back to a
   * live read on a cache miss (kube retries "default" a few times: its controller may lag).
   */
  get(namespace: string, name: string): Promise<KubeObject | undefined>;
}

export interface ServiceAccountOptions {
  serviceAccounts: ServiceAccountLister;
  /** Mount the token volume (kube: always on). */
  mountServiceAccountToken?: boolean;
  /** Enforce mountable secrets for every service account, not only annotated ones. */
  limitSecretReferences?: boolean;
  generateName?: (prefix: string) => string;
}

type Obj = Record<string, unknown>;
const asObj = (v: unknown): Obj | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined;
const list = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);

export class ServiceAccountPlugin implements Plugin {
  readonly name = SERVICE_ACCOUNT_PLUGIN_NAME;
  private readonly generateName: (prefix: string) => string;

  constructor(private readonly options: ServiceAccountOptions) {
    this.generateName = options.generateName ?? defaultGenerateName;
  }

  handles(operation: Operation): boolean {
    return operation === 'CREATE' || operation === 'UPDATE';
  }

  async admit(a: AdmissionAttributes, context: AdmissionContext): Promise<void> {
    const pod = podOf(a);
    if (!pod || a.operation !== 'CREATE') return;
    if (isMirrorPod(pod.meta)) return this.validate(a, context);

    if (!pod.spec.serviceAccountName) pod.spec.serviceAccountName = DEFAULT_SERVICE_ACCOUNT_NAME;
    const saName = pod.spec.serviceAccountName as string;
    const sa = await this.lookup(a, saName);
    if ((this.options.mountServiceAccountToken ?? true) && shouldAutomount(sa, pod.spec)) {
      this.mountToken(pod.spec);
    }
    if (list(pod.spec.imagePullSecrets).length === 0) {
      const fromSa = list(sa.imagePullSecrets).map((s) => ({ name: s.name ?? '' }));
      if (fromSa.length > 0) pod.spec.imagePullSecrets = fromSa;
    }
    return this.validate(a, context);
  }

  async validate(a: AdmissionAttributes, _context: AdmissionContext): Promise<void> {
    const pod = podOf(a);
    if (!pod) return;
    if (a.operation === 'UPDATE' && a.subresource === 'ephemeralcontainers') {
      const sa = await this.lookup(a, String(pod.spec.serviceAccountName ?? ''));
      if (!this.enforceMountableSecrets(sa)) return;
      const why = ephemeralSecretReferenceViolation(sa, pod.spec);
      if (why) throw admissionForbidden(a, why);
      return;
    }
    if (a.operation !== 'CREATE') return;

    if (isMirrorPod(pod.meta)) {
      if (pod.spec.serviceAccountName)
        throw admissionForbidden(a, 'a mirror pod may not reference service accounts');
      if (podHasSecrets(pod.spec))
        throw admissionForbidden(a, 'a mirror pod may not reference secrets');
      for (const v of list(pod.spec.volumes)) {
        if (list(asObj(v.projected)?.sources).some((s) => asObj(s.serviceAccountToken)))
          throw admissionForbidden(
            a,
            'a mirror pod may not use ServiceAccountToken volume projections',
          );
      }
      return;
    }

    if (!pod.spec.serviceAccountName) {
      throw admissionForbidden(
        a,
        `no service account specified for pod ${a.namespace}/${String(pod.meta.name ?? '')}`,
      );
    }
    const sa = await this.lookup(a, String(pod.spec.serviceAccountName));
    if (this.enforceMountableSecrets(sa)) {
      const why = secretReferenceViolation(sa, pod.spec);
      if (why) throw admissionForbidden(a, why);
    }
  }

  private async lookup(a: AdmissionAttributes, name: string): Promise<Obj> {
    let sa: KubeObject | undefined;
    let cause: unknown;
    try {
      sa = await this.options.serviceAccounts.get(a.namespace, name);
    } catch (err) {
      cause = err;
    }
    if (!sa) {
      // kube names the resource in the singular here.
      const err = cause ?? newNotFound({ group: '', resource: 'serviceaccount' }, name);
      const text = err instanceof Error ? err.message : String(err);
      const forbidden = admissionForbidden(
        a,
        `error looking up service account ${a.namespace}/${name}: ${text}`,
      );
      throw new StatusError(forbidden.status, { cause: err });
    }
    return sa as Obj;
  }

  private enforceMountableSecrets(sa: Obj): boolean {
    if (this.options.limitSecretReferences) return true;
    const value = asObj(asObj(sa.metadata)?.annotations)?.[ENFORCE_MOUNTABLE_SECRETS_ANNOTATION];
    return typeof value === 'string' && parseGoBool(value);
  }

  private mountToken(spec: Obj) {
    let volumeName = '';
    for (const v of list(spec.volumes)) {
      if (typeof v.name === 'string' && v.name.startsWith(`${SERVICE_ACCOUNT_VOLUME_NAME}-`)) {
        volumeName = v.name;
        break;
      }
    }
    const hasVolume = volumeName !== '';
    if (!hasVolume) volumeName = this.generateName(`${SERVICE_ACCOUNT_VOLUME_NAME}-`);
    let needsVolume = false;
    for (const kind of ['initContainers', 'containers']) {
      for (const c of list(spec[kind])) {
        const mounts = list(c.volumeMounts);
        if (mounts.some((m) => m.mountPath === DEFAULT_API_TOKEN_MOUNT_PATH)) continue;
        c.volumeMounts = [
          ...mounts,
          { name: volumeName, readOnly: true, mountPath: DEFAULT_API_TOKEN_MOUNT_PATH },
        ];
        needsVolume = true;
      }
    }
    if (!hasVolume && needsVolume) spec.volumes = [...list(spec.volumes), tokenVolume(volumeName)];
  }
}

function podOf(a: AdmissionAttributes): { meta: Obj; spec: Obj } | undefined {
  if (!isResource(a, '', 'pods')) return undefined;
  if (a.subresource !== '' && a.subresource !== 'ephemeralcontainers') return undefined;
  const pod = asObj(a.object);
  if (!pod) return undefined;
  const spec = (asObj(pod.spec) ?? (pod.spec = {})) as Obj;
  const meta = (asObj(pod.metadata) ?? {}) as Obj;
  return { meta, spec };
}

const isMirrorPod = (meta: Obj) => asObj(meta.annotations)?.[MIRROR_POD_ANNOTATION] !== undefined;

/** The pod's choice wins, then the service account's; on by default. */
function shouldAutomount(sa: Obj, spec: Obj): boolean {
  if (typeof spec.automountServiceAccountToken === 'boolean')
    return spec.automountServiceAccountToken;
  if (typeof sa.automountServiceAccountToken === 'boolean') return sa.automountServiceAccountToken;
  return true;
}

/** Go's strconv.ParseBool, true side (anything unparsable is false here, as kube ignores it). */
const parseGoBool = (s: string) => ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(s);
