// The resources the built-in plugins read, as the informer hub names them.
import type { InformerHub } from '../../chain/plugin-deps.js';

export type HubResource = Parameters<InformerHub['informer']>[0];

const core = (resource: string, kind: string, namespaced = true): HubResource => ({
  group: '',
  version: 'v1',
  resource,
  kind,
  namespaced,
});

export const NAMESPACES = core('namespaces', 'Namespace', false);
export const SERVICE_ACCOUNTS = core('serviceaccounts', 'ServiceAccount');
export const LIMIT_RANGES = core('limitranges', 'LimitRange');
export const PODS = core('pods', 'Pod');
export const PERSISTENT_VOLUME_CLAIMS = core('persistentvolumeclaims', 'PersistentVolumeClaim');
export const PRIORITY_CLASSES: HubResource = {
  group: 'scheduling.k8s.io',
  version: 'v1',
  resource: 'priorityclasses',
  kind: 'PriorityClass',
  namespaced: false,
};
export const STORAGE_CLASSES: HubResource = {
  group: 'storage.k8s.io',
  version: 'v1',
  resource: 'storageclasses',
  kind: 'StorageClass',
  namespaced: false,
};
export const INGRESS_CLASSES: HubResource = {
  group: 'networking.k8s.io',
  version: 'v1',
  resource: 'ingressclasses',
  kind: 'IngressClass',
  namespaced: false,
};
export const RUNTIME_CLASSES: HubResource = {
  group: 'node.k8s.io',
  version: 'v1',
  resource: 'runtimeclasses',
  kind: 'RuntimeClass',
  namespaced: false,
};
