// What a plugin factory gets from main.ts: shared informers, live reads, the registry and
// authorizer clients, a logger, and its --admission-control-config-file configuration.
import type { Informer, InformerResource } from '@splitplane/informer';
import type { Logger } from '@splitplane/kit';
import type { AuthorizerClient, RegistryClient } from '@splitplane/proto';
import type { KubeObject } from '@splitplane/scheme';
import type { Plugin } from './plugin.js';

export interface InformerHub {
  /** The shared informer for `resource`, created and started on first use (maybe not synced yet). */
  informer(resource: InformerResource): Informer;
  /** Consistent live GET through the watch-cache: for cache misses (kube's NamespaceLifecycle does a live lookup). */
  get(resource: InformerResource, namespace: string, name: string): Promise<KubeObject | undefined>;
  /** Consistent live LIST through the watch-cache. */
  list(resource: InformerResource, namespace: string): Promise<KubeObject[]>;
}

export interface PluginDeps {
  hub: InformerHub;
  /** Writes through the registry as system:apiserver (e.g. ResourceQuota status CAS). */
  registry: RegistryClient | undefined;
  /** CEL authorizer library for policies. */
  authz: AuthorizerClient | undefined;
  log: Logger;
  /** Per-plugin configuration from --admission-control-config-file (kube's AdmissionConfiguration), by plugin name. */
  pluginConfig(name: string): unknown;
}

export type PluginFactory = (deps: PluginDeps) => Plugin;
