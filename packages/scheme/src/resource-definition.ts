// One entry per served resource. Every service reads the same table, so adding a built-in
// resource means adding an entry (plus its strategy in the registry), nothing more.

export type Verb =
  'create' | 'delete' | 'deletecollection' | 'get' | 'list' | 'patch' | 'update' | 'watch';

export interface PrinterColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format?: string;
  description?: string;
  /** 0 is shown by default; >0 only with `-o wide`. */
  priority?: number;
}

/** Server-side table printing (as=Table), kube's columns for this kind. */
export interface Printer {
  columns: PrinterColumn[];
  /** One cell per column, in order. `obj` is the full object. */
  row(obj: KubeObject, now: Date): unknown[];
}

export interface ScaleSubresource {
  specReplicasPath: string;
  statusReplicasPath: string;
  labelSelectorPath?: string;
}

export interface ResourceDefinition {
  group: string;
  version: string;
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  shortNames: string[];
  categories: string[];
  namespaced: boolean;
  verbs: Verb[];
  subresources: { status?: boolean; scale?: ScaleSubresource };
  /** Version objects are stored at in etcd. */
  storageVersion: string;
  /** Key segment(s) under /registry/, as kube-apiserver lays them out ("services/specs"). */
  etcdResource: string;
  /** OpenAPI definition name, e.g. io.k8s.api.apps.v1.Deployment. */
  openapiName: string;
  /** Field selector keys beyond metadata.name and metadata.namespace. */
  selectableFields: string[];
  printer?: Printer;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string | null;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: Array<Record<string, unknown>>;
  managedFields?: Array<Record<string, unknown>>;
  [key: string]: unknown;
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  [key: string]: unknown;
}

export function apiVersionOf(def: Pick<ResourceDefinition, 'group' | 'version'>): string {
  return def.group ? `${def.group}/${def.version}` : def.version;
}

/** "deployments.apps" or "pods": how kube names a resource in messages. */
export function groupResourceOf(def: Pick<ResourceDefinition, 'group' | 'plural'>) {
  return { group: def.group, resource: def.plural };
}
