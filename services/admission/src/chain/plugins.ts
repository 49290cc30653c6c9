// Resolves --enable-admission-plugins / --disable-admission-plugins into a chain the way
// kube-apiserver does: kube's default-on set, plus enabled, minus disabled, in kube's order.
import { AdmissionChain } from './chain.js';
import type { PluginDeps, PluginFactory } from './plugin-deps.js';
import { defaultTolerationSecondsFactory } from '../plugins/default-toleration-seconds/index.js';
import { mutatingAdmissionWebhookFactory } from '../plugins/mutating-webhook/index.js';
import { namespaceLifecycleFactory } from '../plugins/namespace-lifecycle/index.js';
import { priorityFactory } from '../plugins/priority/index.js';
import { limitRangerFactory } from '../plugins/limit-ranger/index.js';
import { defaultStorageClassFactory } from '../plugins/default-storage-class/index.js';
import { defaultIngressClassFactory } from '../plugins/default-ingress-class/index.js';
import { runtimeClassFactory } from '../plugins/runtime-class/index.js';
import { podSecurityFactory } from '../plugins/pod-security/index.js';
import { resourceQuotaFactory } from '../plugins/resource-quota/index.js';
import { serviceAccountFactory } from '../plugins/service-account/index.js';
import { taintNodesByConditionFactory } from '../plugins/taint-nodes-by-condition/index.js';
import { persistentVolumeClaimResizeFactory } from '../plugins/persistent-volume-claim-resize/index.js';
import { storageObjectInUseProtectionFactory } from '../plugins/storage-object-in-use-protection/index.js';
import { validatingAdmissionPolicyFactory } from '../plugins/validating-admission-policy/index.js';
import { validatingAdmissionWebhookFactory } from '../plugins/validating-webhook/index.js';

/** kube's AllOrderedPlugins (pkg/kubeapiserver/options/plugins.go): the order plugins run in. */
export const ALL_ORDERED_PLUGINS: readonly string[] = [
  'AlwaysAdmit',
  'NamespaceAutoProvision',
  'NamespaceLifecycle',
  'NamespaceExists',
  'LimitPodHardAntiAffinityTopology',
  'LimitRanger',
  'ServiceAccount',
  'NodeRestriction',
  'TaintNodesByCondition',
  'AlwaysPullImages',
  'ImagePolicyWebhook',
  'PodSecurity',
  'PodNodeSelector',
  'Priority',
  'DefaultTolerationSeconds',
  'PodTolerationRestriction',
  'EventRateLimit',
  'ExtendedResourceToleration',
  'DefaultStorageClass',
  'StorageObjectInUseProtection',
  'PodGroupProtection',
  'OwnerReferencesPermissionEnforcement',
  'PersistentVolumeClaimResize',
  'RuntimeClass',
  'CertificateApproval',
  'CertificateSigning',
  'ClusterTrustBundleAttest',
  'CertificateSubjectRestriction',
  'DefaultIngressClass',
  'DenyServiceExternalIPs',
  'PodTopologyLabels',
  'PodGroupWorkloadExists',
  'NodeDeclaredFeatureValidator',
  'JobValidation',
  'PodResizeValidator',
  // webhooks, policies, quota and deny run last, as in kube.
  'MutatingAdmissionPolicy',
  'MutatingAdmissionWebhook',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionWebhook',
  'ResourceQuota',
  'AlwaysDeny',
];

/** The plugins kube-apiserver runs when no flag says otherwise (complement of DefaultOffAdmissionPlugins). */
export const DEFAULT_ON_PLUGINS: ReadonlySet<string> = new Set([
  'NamespaceLifecycle',
  'LimitRanger',
  'ServiceAccount',
  'DefaultStorageClass',
  'PersistentVolumeClaimResize',
  'DefaultTolerationSeconds',
  'MutatingAdmissionWebhook',
  'ValidatingAdmissionWebhook',
  'ResourceQuota',
  'StorageObjectInUseProtection',
  'PodGroupProtection',
  'Priority',
  'TaintNodesByCondition',
  'RuntimeClass',
  'CertificateApproval',
  'CertificateSigning',
  'ClusterTrustBundleAttest',
  'CertificateSubjectRestriction',
  'DefaultIngressClass',
  'PodSecurity',
  'PodTopologyLabels',
  'MutatingAdmissionPolicy',
  'ValidatingAdmissionPolicy',
  'PodGroupWorkloadExists',
  'NodeDeclaredFeatureValidator',
  'JobValidation',
  'PodResizeValidator',
]);

/**
 * The plugins splitplane implements, by kube name. Each plugin adds one import and one line
 * here; a name kube knows but this map lacks is "known, not implemented".
 */
export const factories: Partial<Record<string, PluginFactory>> = {
  NamespaceLifecycle: namespaceLifecycleFactory,
  LimitRanger: limitRangerFactory,
  ServiceAccount: serviceAccountFactory,
  TaintNodesByCondition: taintNodesByConditionFactory,
  PodSecurity: podSecurityFactory,
  DefaultStorageClass: defaultStorageClassFactory,
  StorageObjectInUseProtection: storageObjectInUseProtectionFactory,
  PersistentVolumeClaimResize: persistentVolumeClaimResizeFactory,
  RuntimeClass: runtimeClassFactory,
  DefaultIngressClass: defaultIngressClassFactory,
  Priority: priorityFactory,
  DefaultTolerationSeconds: defaultTolerationSecondsFactory,
  MutatingAdmissionWebhook: mutatingAdmissionWebhookFactory,
  ValidatingAdmissionPolicy: validatingAdmissionPolicyFactory,
  ValidatingAdmissionWebhook: validatingAdmissionWebhookFactory,
  ResourceQuota: resourceQuotaFactory,
};

/** The flags name plugins kube does not know, or one we cannot run; the messages are kube's where kube has one. */
export class AdmissionPluginConfigError extends Error {
  constructor(readonly errors: string[]) {
    super(errors.join('; '));
    this.name = 'AdmissionPluginConfigError';
  }
}

export interface PluginSelection {
  /** What will run, in kube's order. */
  names: string[];
  /** Default-on in kube, not implemented here: skipped (main.ts logs them). */
  skipped: string[];
}

/** Pure: which plugins the flags select. Throws AdmissionPluginConfigError for bad flags. */
export function selectPlugins(
  enabled: readonly string[],
  disabled: readonly string[],
  implemented: Partial<Record<string, PluginFactory>> = factories,
): PluginSelection {
  const known = new Set(ALL_ORDERED_PLUGINS);
  const errors: string[] = [];
  for (const name of enabled)
    if (!known.has(name)) errors.push(`enable-admission-plugins plugin "${name}" is unknown`);
  for (const name of disabled)
    if (!known.has(name)) errors.push(`disable-admission-plugins plugin "${name}" is unknown`);
  const overlap = [...new Set(enabled)].filter((n) => disabled.includes(n)).sort();
  if (overlap.length > 0)
    errors.push(
      `[${overlap.join(' ')}] in enable-admission-plugins and disable-admission-plugins overlapped`,
    );
  for (const name of enabled) {
    if (known.has(name) && !disabled.includes(name) && !implemented[name])
      errors.push(
        `enable-admission-plugins plugin "${name}" is a Kubernetes admission plugin splitplane does not implement`,
      );
  }
  if (errors.length > 0) throw new AdmissionPluginConfigError(errors);

  const names: string[] = [];
  const skipped: string[] = [];
  for (const name of ALL_ORDERED_PLUGINS) {
    const on = (DEFAULT_ON_PLUGINS.has(name) || enabled.includes(name)) && !disabled.includes(name);
    if (!on) continue;
    if (implemented[name]) names.push(name);
    else skipped.push(name);
  }
  return { names, skipped };
}

/** Builds the chain the flags select, each plugin from its factory with `deps`. */
export function chainFor(
  enabled: readonly string[],
  disabled: readonly string[],
  deps: PluginDeps,
  implemented: Partial<Record<string, PluginFactory>> = factories,
): AdmissionChain {
  const { names, skipped } = selectPlugins(enabled, disabled, implemented);
  if (skipped.length > 0)
    deps.log.warn(
      { plugins: skipped },
      'kube enables these admission plugins by default; splitplane does not implement them (skipped)',
    );
  return new AdmissionChain(names.map((name) => implemented[name]!(deps)));
}
