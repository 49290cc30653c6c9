// Wires the PodSecurity plugin to the informer hub and to its PodSecurityConfiguration
// (pod-security.admission.config.k8s.io, given through --admission-control-config-file).
import type { PluginFactory } from '../../chain/plugin-deps.js';
import { hubLister, liveLister, NAMESPACES, PODS } from '../builtin-support/index.js';
import { PodSecurityConfigError, type PodSecurityConfiguration } from './config.js';
import { PodSecurityPlugin } from './plugin.js';

const CONFIG_VERSIONS = new Set([
  'pod-security.admission.config.k8s.io/v1',
  'pod-security.admission.config.k8s.io/v1beta1',
  'pod-security.admission.config.k8s.io/v1alpha1',
]);

const strings = (v: unknown, field: string): string[] | undefined => {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string'))
    throw new PodSecurityConfigError(`${field}: must be a list of strings`);
  return v as string[];
};

const str = (v: unknown, field: string): string | undefined => {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new PodSecurityConfigError(`${field}: must be a string`);
  return v;
};

/** The file's PodSecurityConfiguration (kebab-case version keys) as the plugin's options. */
export function podSecurityConfigFrom(raw: unknown): PodSecurityConfiguration {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw))
    throw new PodSecurityConfigError('PodSecurityConfiguration must be an object');
  const doc = raw as Record<string, unknown>;
  if (doc.kind !== undefined && doc.kind !== 'PodSecurityConfiguration')
    throw new PodSecurityConfigError(`unexpected kind ${String(doc.kind)}`);
  if (doc.apiVersion !== undefined && !CONFIG_VERSIONS.has(String(doc.apiVersion)))
    throw new PodSecurityConfigError(`unexpected apiVersion ${String(doc.apiVersion)}`);
  const d = (doc.defaults ?? {}) as Record<string, unknown>;
  const e = (doc.exemptions ?? {}) as Record<string, unknown>;
  const config: PodSecurityConfiguration = { defaults: {}, exemptions: {} };
  const defaults = config.defaults!;
  const set = (key: keyof typeof defaults, from: string) => {
    const v = str(d[from], `defaults.${from}`);
    if (v !== undefined) defaults[key] = v;
  };
  set('enforce', 'enforce');
  set('enforceVersion', 'enforce-version');
  set('audit', 'audit');
  set('auditVersion', 'audit-version');
  set('warn', 'warn');
  set('warnVersion', 'warn-version');
  const usernames = strings(e.usernames, 'exemptions.usernames');
  const runtimeClasses = strings(e.runtimeClasses, 'exemptions.runtimeClasses');
  const namespaces = strings(e.namespaces, 'exemptions.namespaces');
  if (usernames) config.exemptions!.usernames = usernames;
  if (runtimeClasses) config.exemptions!.runtimeClasses = runtimeClasses;
  if (namespaces) config.exemptions!.namespaces = namespaces;
  return config;
}

export const podSecurityFactory: PluginFactory = (deps) => {
  const namespaces = hubLister(deps.hub, NAMESPACES);
  // Pods are only read when a namespace's enforce level tightens: a live list then, rather
  // than an informer holding every pod of the cluster in admission's memory.
  const pods = liveLister(deps.hub, PODS);
  return new PodSecurityPlugin({
    // A namespace created a moment ago may not have reached the cache: read it live then,
    // as kube's NamespaceGetterFromListerAndClient does.
    namespaces: {
      get: async (name) =>
        (await namespaces.get('', name)) ?? (await deps.hub.get(NAMESPACES, '', name)),
    },
    pods: { list: (namespace) => pods.list(namespace) },
    config: podSecurityConfigFrom(deps.pluginConfig('PodSecurity')),
  });
};
