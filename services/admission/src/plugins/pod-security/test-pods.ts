// Pod builders shared by this module's tests.
import type { PodSpecLike, ContainerLike, SecurityContextLike } from './pod-types.js';

/** A pod that passes restricted:latest; overrides replace whole fields. */
export function restrictedSpec(
  overrides: Partial<PodSpecLike> = {},
  container: Partial<ContainerLike> = {},
): PodSpecLike {
  return {
    securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [
      {
        name: 'c',
        image: 'busybox',
        securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
        ...container,
      },
    ],
    ...overrides,
  };
}

/** A bare pod: passes baseline, fails restricted. */
export function bareSpec(sc?: SecurityContextLike, podSc?: SecurityContextLike): PodSpecLike {
  return {
    ...(podSc ? { securityContext: podSc } : {}),
    containers: [{ name: 'c', image: 'busybox', ...(sc ? { securityContext: sc } : {}) }],
  };
}

export const podObject = (
  name: string,
  spec: PodSpecLike,
  annotations?: Record<string, string>,
) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'ns', ...(annotations ? { annotations } : {}) },
  spec: spec as Record<string, unknown>,
});
