// The secrets a pod names (kube's podutil.VisitPodSecretNames), and the mountable-secrets
// check a service account can opt into with kubernetes.io/enforce-mountable-secrets.
type Obj = Record<string, unknown>;

const obj = (v: unknown): Obj | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined;
const arr = (v: unknown): Obj[] => (Array.isArray(v) ? v.map((x) => obj(x) ?? {}) : []);
const str = (v: unknown) => (typeof v === 'string' ? v : '');

/** Volume sources that name a secret through `secretRef.name`. */
const SECRET_REF_SOURCES = [
  'cephfs',
  'cinder',
  'flexVolume',
  'iscsi',
  'rbd',
  'scaleIO',
  'storageos',
];

/** True when the pod names any secret, in any container kind, volume or pull secret. */
export function podHasSecrets(spec: Obj): boolean {
  if (arr(spec.imagePullSecrets).length > 0) return true;
  for (const kind of ['initContainers', 'containers', 'ephemeralContainers']) {
    for (const c of arr(spec[kind])) {
      if (arr(c.envFrom).some((e) => obj(e.secretRef))) return true;
      if (arr(c.env).some((e) => obj(obj(e.valueFrom)?.secretKeyRef))) return true;
    }
  }
  for (const v of arr(spec.volumes)) {
    if (obj(v.secret) || obj(v.azureFile)) return true;
    if (SECRET_REF_SOURCES.some((s) => obj(obj(v[s])?.secretRef))) return true;
    if (obj(obj(v.csi)?.nodePublishSecretRef)) return true;
    if (arr(obj(v.projected)?.sources).some((s) => obj(s.secret))) return true;
  }
  return false;
}

const notReferenced = (sa: string) =>
  `is not allowed because service account ${sa} does not reference that secret`;

function containerViolation(
  label: string,
  containers: Obj[],
  mountable: Set<string>,
  sa: string,
): string | undefined {
  for (const c of containers) {
    const name = str(c.name);
    for (const env of arr(c.env)) {
      const ref = obj(obj(env.valueFrom)?.secretKeyRef);
      if (ref && !mountable.has(str(ref.name)))
        return `${label} ${name} with envVar ${str(env.name)} referencing secret.secretName="${str(ref.name)}" ${notReferenced(sa)}`;
    }
    for (const from of arr(c.envFrom)) {
      const ref = obj(from.secretRef);
      if (ref && !mountable.has(str(ref.name)))
        return `${label} ${name} with envFrom referencing secret.secretName="${str(ref.name)}" ${notReferenced(sa)}`;
    }
  }
  return undefined;
}

/** kube's limitSecretReferences: the first reference the service account does not allow. */
export function secretReferenceViolation(sa: Obj, spec: Obj): string | undefined {
  const saName = str(obj(sa.metadata)?.name);
  const mountable = new Set(arr(sa.secrets).map((s) => str(s.name)));
  for (const v of arr(spec.volumes)) {
    const secret = obj(v.secret);
    if (secret && !mountable.has(str(secret.secretName)))
      return `volume with secret.secretName="${str(secret.secretName)}" ${notReferenced(saName)}`;
  }
  const found =
    containerViolation('init container', arr(spec.initContainers), mountable, saName) ??
    containerViolation('container', arr(spec.containers), mountable, saName);
  if (found) return found;
  const pull = new Set(arr(sa.imagePullSecrets).map((s) => str(s.name)));
  const refs = arr(spec.imagePullSecrets);
  for (let i = 0; i < refs.length; i++) {
    const name = str(refs[i]!.name);
    if (!pull.has(name))
      return `imagePullSecrets[${i}].name="${name}" is not allowed because service account ${saName} does not reference that imagePullSecret`;
  }
  return undefined;
}

export function ephemeralSecretReferenceViolation(sa: Obj, spec: Obj): string | undefined {
  const saName = str(obj(sa.metadata)?.name);
  const mountable = new Set(arr(sa.secrets).map((s) => str(s.name)));
  return containerViolation(
    'ephemeral container',
    arr(spec.ephemeralContainers),
    mountable,
    saName,
  );
}
