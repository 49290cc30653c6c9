// InformerResources from the scheme: the kinds plugins read (namespaces, services, webhook
// configurations...) and VAP paramKinds, which name a kind by apiVersion + kind.
import type { InformerResource } from '@splitplane/informer';
import { BUILTIN_RESOURCES, Scheme, type ResourceDefinition } from '@splitplane/scheme';

export class UnknownKindError extends Error {
  constructor(
    readonly apiVersion: string,
    readonly kind: string,
  ) {
    super(`failed to find resource referenced by paramKind: '${apiVersion}, Kind=${kind}'`);
    this.name = 'UnknownKindError';
  }
}

let builtins: Scheme | undefined;
const builtinScheme = (): Scheme => (builtins ??= new Scheme(BUILTIN_RESOURCES));

export function informerResourceOf(def: ResourceDefinition): InformerResource {
  return {
    group: def.group,
    // Feed events carry storage-version objects; the informer lists in the same version.
    version: def.storageVersion || def.version,
    resource: def.plural,
    kind: def.kind,
    namespaced: def.namespaced,
    selectableFields: [...def.selectableFields],
  };
}

/** The resource serving `apiVersion`+`kind`; throws UnknownKindError when the scheme lacks it. */
export function resourceForKind(
  apiVersion: string,
  kind: string,
  scheme: Scheme = builtinScheme(),
): InformerResource {
  const def = scheme.kindForApiVersion(apiVersion, kind);
  if (!def) throw new UnknownKindError(apiVersion, kind);
  return informerResourceOf(def);
}

/** A built-in resource by group/version/plural; a missing one is a programming error. */
export function builtinResource(group: string, version: string, plural: string): InformerResource {
  const def = builtinScheme().resource(group, version, plural);
  if (!def) throw new TypeError(`the scheme has no ${plural}.${group || 'core'}/${version}`);
  return informerResourceOf(def);
}

/** The resources admission's own plugins read. */
export const RESOURCES = {
  namespaces: () => builtinResource('', 'v1', 'namespaces'),
  services: () => builtinResource('', 'v1', 'services'),
  endpoints: () => builtinResource('', 'v1', 'endpoints'),
  endpointSlices: () => builtinResource('discovery.k8s.io', 'v1', 'endpointslices'),
  mutatingWebhookConfigurations: () =>
    builtinResource('admissionregistration.k8s.io', 'v1', 'mutatingwebhookconfigurations'),
  validatingWebhookConfigurations: () =>
    builtinResource('admissionregistration.k8s.io', 'v1', 'validatingwebhookconfigurations'),
  validatingAdmissionPolicies: () =>
    builtinResource('admissionregistration.k8s.io', 'v1', 'validatingadmissionpolicies'),
  validatingAdmissionPolicyBindings: () =>
    builtinResource('admissionregistration.k8s.io', 'v1', 'validatingadmissionpolicybindings'),
} as const;
