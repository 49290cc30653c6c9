// The `default/kubernetes` Service kube-apiserver keeps for in-cluster clients: ClusterIP, the
// first address of --service-cluster-ip-range, port 443 "https" to the API server's secure
// port (kube's controlplane kubernetesservice controller). Idempotent: every replica may run
// it; AlreadyExists is success, and a Service whose ports or type drifted is put back.
// No Endpoints/EndpointSlice are written: the plane has no pod network to point them at.
import { setTimeout as sleep } from 'node:timers/promises';
import { StatusError } from '@splitplane/apimachinery';
import type { Logger } from '@splitplane/kit';
import type { KubeObject } from '@splitplane/scheme';
import { systemAttributes } from '../namespace-controller/system-namespaces.js';
import { createObject } from '../store/create.js';
import type { Store } from '../store/store.js';
import { runUpdate } from '../store/update-loop.js';
import { deepEqual } from '../strategies/internal/json.js';

export const KUBERNETES_SERVICE_NAMESPACE = 'default';
export const KUBERNETES_SERVICE_NAME = 'kubernetes';
export const DEFAULT_KUBERNETES_SERVICE_PORT = 6443;

const SERVICES = { group: '', version: 'v1', resource: 'services' };

export interface KubernetesServiceOptions {
  clusterIP: string;
  /** The API server's secure port: the Service's targetPort. */
  targetPort: number;
}

function desiredPorts(targetPort: number) {
  return [{ name: 'https', port: 443, protocol: 'TCP', targetPort }];
}

function desired(opts: KubernetesServiceOptions): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: KUBERNETES_SERVICE_NAME,
      namespace: KUBERNETES_SERVICE_NAMESPACE,
      labels: { component: 'apiserver', provider: 'kubernetes' },
    },
    spec: {
      type: 'ClusterIP',
      clusterIP: opts.clusterIP,
      ports: desiredPorts(opts.targetPort),
      sessionAffinity: 'None',
    },
  };
}

const ctxFor = (store: Store) =>
  store.context(systemAttributes(SERVICES, KUBERNETES_SERVICE_NAMESPACE, KUBERNETES_SERVICE_NAME));

/**
 * Creates the Service, or repairs its ports and type. Retries for about `waitMs` while another
 * replica holds the address mid-create; then throws the last error.
 */
export async function ensureKubernetesService(
  store: Store,
  opts: KubernetesServiceOptions,
  log: Logger,
  waitMs = 5_000,
): Promise<void> {
  const def = store.scheme.resource('', 'v1', 'services')!;
  const key = store.key(def, KUBERNETES_SERVICE_NAMESPACE, KUBERNETES_SERVICE_NAME);
  const deadline = Date.now() + waitMs;
  for (;;) {
    // Look first: allocation precedes the AlreadyExists check, so a create of an existing
    // Service would fail on its own IP.
    const existing = await store.storage.get(key);
    if (existing) return reconcile(store, existing.obj, opts, log);
    try {
      await createObject(store, ctxFor(store), desired(opts), false);
      log.info({ clusterIP: opts.clusterIP }, 'created the kubernetes service');
      return;
    } catch (err) {
      if (!(err instanceof StatusError)) throw err;
      if (err.reason === 'AlreadyExists') continue;
      // 422 "already allocated": a racing replica has the IP and is about to store the Service.
      if (err.code === 422 && Date.now() < deadline) {
        await sleep(200);
        continue;
      }
      throw err;
    }
  }
}

async function reconcile(
  store: Store,
  current: KubeObject,
  opts: KubernetesServiceOptions,
  log: Logger,
): Promise<void> {
  if (!drifted(current, opts)) return;
  await runUpdate(store, ctxFor(store), {
    compute(current) {
      const svc = current!;
      const spec = {
        ...(svc.spec as Record<string, unknown>),
        type: 'ClusterIP',
        ports: desiredPorts(opts.targetPort),
      };
      return { ...svc, spec };
    },
  });
  log.info({ targetPort: opts.targetPort }, 'updated the kubernetes service');
}

function drifted(svc: KubeObject, opts: KubernetesServiceOptions): boolean {
  const spec = (svc.spec ?? {}) as { type?: string; ports?: unknown };
  return spec.type !== 'ClusterIP' || !deepEqual(spec.ports, desiredPorts(opts.targetPort));
}
