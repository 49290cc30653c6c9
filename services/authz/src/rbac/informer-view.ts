// The RBAC view kept by informers over roles, clusterroles, rolebindings and
// clusterrolebindings (a List from the watch-cache, then events from NATS).
import type { Logger, NatsConnection } from '@splitplane/kit';
import { Informer, type InformerResource } from '@splitplane/informer';
import type { WatchCacheClient } from '@splitplane/proto';
import { BINDING_INDEXERS, RbacView } from './rbac-view.js';
import { RBAC_GROUP } from './types.js';

const resource = (plural: string, kind: string, namespaced: boolean): InformerResource => ({
  group: RBAC_GROUP,
  version: 'v1',
  resource: plural,
  kind,
  namespaced,
});

export interface RbacInformersOptions {
  watchCache: WatchCacheClient;
  nats: NatsConnection;
  log?: Logger;
}

export class RbacInformers {
  readonly roles: Informer;
  readonly clusterRoles: Informer;
  readonly roleBindings: Informer;
  readonly clusterRoleBindings: Informer;
  readonly view: RbacView;

  constructor(opts: RbacInformersOptions) {
    const base = {
      watchCache: opts.watchCache,
      nats: opts.nats,
      ...(opts.log ? { log: opts.log } : {}),
    };
    this.roles = new Informer({ ...base, def: resource('roles', 'Role', true) });
    this.clusterRoles = new Informer({
      ...base,
      def: resource('clusterroles', 'ClusterRole', false),
    });
    this.roleBindings = new Informer({
      ...base,
      def: resource('rolebindings', 'RoleBinding', true),
      indexers: BINDING_INDEXERS,
    });
    this.clusterRoleBindings = new Informer({
      ...base,
      def: resource('clusterrolebindings', 'ClusterRoleBinding', false),
      indexers: BINDING_INDEXERS,
    });
    this.view = new RbacView({
      roles: this.roles.store,
      clusterRoles: this.clusterRoles.store,
      roleBindings: this.roleBindings.store,
      clusterRoleBindings: this.clusterRoleBindings.store,
    });
  }

  /** Resolves once all four have synced. */
  async start(): Promise<void> {
    await Promise.all(this.#all().map((i) => i.start()));
  }

  get hasSynced(): boolean {
    return this.#all().every((i) => i.hasSynced);
  }

  stop(): void {
    for (const informer of this.#all()) informer.stop();
  }

  #all(): Informer[] {
    return [this.roles, this.clusterRoles, this.roleBindings, this.clusterRoleBindings];
  }
}
