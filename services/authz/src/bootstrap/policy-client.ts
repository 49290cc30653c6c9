// Reads and writes of RBAC objects on behalf of authz itself: reads from the watch-cache
// (consistent reads), writes through the registry, always as the internal loopback
// identity, as kube's post-start hooks use the loopback client.
import { StatusError } from '@splitplane/apimachinery';
import { call } from '@splitplane/kit';
import {
  type GetRequest,
  type ObjectResponse,
  type RegistryClient,
  type RequestAttributes,
  type UserInfo,
  type WatchCacheClient,
} from '@splitplane/proto';
import type { RbacObject } from './reconcile.js';

/** kube's loopback identity (the contract's internal identity). */
export const INTERNAL_USER: UserInfo = {
  username: 'system:apiserver',
  uid: '',
  groups: ['system:masters', 'system:authenticated'],
  extra: {},
};

export type RbacResource = 'roles' | 'rolebindings' | 'clusterroles' | 'clusterrolebindings';

export interface ObjectRef {
  resource: RbacResource;
  namespace?: string;
  name: string;
}

/** The reads and writes bootstrap and aggregation need; tests may supply their own. */
export interface PolicyClient {
  /** undefined when the object does not exist. */
  get(ref: ObjectRef): Promise<RbacObject | undefined>;
  create(ref: ObjectRef, obj: RbacObject): Promise<RbacObject>;
  update(ref: ObjectRef, obj: RbacObject): Promise<RbacObject>;
  delete(ref: ObjectRef): Promise<void>;
  /** Core objects (namespaces) for bootstrap's namespace check. */
  getNamespace(name: string): Promise<boolean>;
  createNamespace(name: string): Promise<void>;
}

const RBAC_GROUP = 'rbac.authorization.k8s.io';
const CALL_TIMEOUT_MS = 10_000;

function attributes(
  group: string,
  resource: string,
  namespace: string,
  name: string,
): RequestAttributes {
  return {
    user: INTERNAL_USER,
    resource: { group, version: 'v1', resource },
    namespace,
    name,
    subresource: '',
    dryRun: false,
    fieldManager: 'splitplane-authz',
    fieldValidation: '',
    auditId: '',
  };
}

const deadline = () => ({ deadline: new Date(Date.now() + CALL_TIMEOUT_MS) });
const decode = (res: ObjectResponse) =>
  JSON.parse(Buffer.from(res.object).toString('utf8')) as RbacObject;
const isNotFound = (err: unknown) => err instanceof StatusError && err.code === 404;

export class GrpcPolicyClient implements PolicyClient {
  constructor(
    private readonly registry: RegistryClient,
    private readonly watchCache: WatchCacheClient,
  ) {}

  private async read(group: string, resource: string, namespace: string, name: string) {
    const request: GetRequest = {
      attributes: attributes(group, resource, namespace, name),
      resourceVersion: '',
    };
    try {
      return decode(
        await call(this.watchCache, this.watchCache.get, request, deadline(), 'watch-cache'),
      );
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  get(ref: ObjectRef): Promise<RbacObject | undefined> {
    return this.read(RBAC_GROUP, ref.resource, ref.namespace ?? '', ref.name);
  }

  async create(ref: ObjectRef, obj: RbacObject): Promise<RbacObject> {
    const request = {
      attributes: attributes(RBAC_GROUP, ref.resource, ref.namespace ?? '', ''),
      object: Buffer.from(JSON.stringify(obj)),
    };
    return decode(await call(this.registry, this.registry.create, request, deadline(), 'registry'));
  }

  async update(ref: ObjectRef, obj: RbacObject): Promise<RbacObject> {
    const request = {
      attributes: attributes(RBAC_GROUP, ref.resource, ref.namespace ?? '', ref.name),
      object: Buffer.from(JSON.stringify(obj)),
    };
    return decode(await call(this.registry, this.registry.update, request, deadline(), 'registry'));
  }

  async delete(ref: ObjectRef): Promise<void> {
    const request = {
      attributes: attributes(RBAC_GROUP, ref.resource, ref.namespace ?? '', ref.name),
      options: Buffer.alloc(0),
    };
    try {
      await call(this.registry, this.registry.delete, request, deadline(), 'registry');
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  async getNamespace(name: string): Promise<boolean> {
    return (await this.read('', 'namespaces', '', name)) !== undefined;
  }

  async createNamespace(name: string): Promise<void> {
    const request = {
      attributes: attributes('', 'namespaces', '', ''),
      object: Buffer.from(
        JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }),
      ),
    };
    try {
      await call(this.registry, this.registry.create, request, deadline(), 'registry');
    } catch (err) {
      if (!(err instanceof StatusError && err.code === 409)) throw err;
    }
  }
}
