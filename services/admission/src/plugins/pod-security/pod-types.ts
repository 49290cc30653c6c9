// The parts of corev1 Pod that the Pod Security Standards read. Objects arrive as plain
// JSON, so every field is optional and checks must tolerate any shape.
export interface SecurityContextLike {
  privileged?: boolean;
  allowPrivilegeEscalation?: boolean;
  runAsNonRoot?: boolean;
  runAsUser?: number;
  procMount?: string;
  capabilities?: { add?: string[]; drop?: string[] };
  seLinuxOptions?: { type?: string; user?: string; role?: string; level?: string };
  seccompProfile?: { type?: string; localhostProfile?: string };
  appArmorProfile?: { type?: string; localhostProfile?: string };
  windowsOptions?: { hostProcess?: boolean };
  sysctls?: Array<{ name?: string; value?: string }>;
}

export interface ContainerLike {
  name?: string;
  image?: string;
  ports?: Array<{ hostPort?: number; containerPort?: number }>;
  securityContext?: SecurityContextLike;
}

export interface PodSpecLike {
  containers?: ContainerLike[];
  initContainers?: ContainerLike[];
  ephemeralContainers?: ContainerLike[];
  volumes?: Array<Record<string, unknown> & { name?: string }>;
  securityContext?: SecurityContextLike;
  hostNetwork?: boolean;
  hostPID?: boolean;
  hostIPC?: boolean;
  hostUsers?: boolean;
  runtimeClassName?: string;
  os?: { name?: string };
}

export interface PodMetaLike {
  name?: string;
  annotations?: Record<string, string>;
  labels?: Record<string, string>;
}

/** Every container of the pod, in kube's order: init, regular, ephemeral. */
export function containersOf(spec: PodSpecLike): ContainerLike[] {
  const list = (v: unknown) => (Array.isArray(v) ? (v as unknown[]) : []);
  return [
    ...list(spec.initContainers),
    ...list(spec.containers),
    ...list(spec.ephemeralContainers),
  ].filter((c): c is ContainerLike => typeof c === 'object' && c !== null);
}

export const containerName = (c: ContainerLike) => String(c.name ?? '');

/** A securityContext that is an object, or undefined. */
export function scOf(
  holder: { securityContext?: unknown } | undefined,
): SecurityContextLike | undefined {
  const sc = holder?.securityContext;
  return typeof sc === 'object' && sc !== null ? (sc as SecurityContextLike) : undefined;
}
