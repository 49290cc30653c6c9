// InformerResources from the scheme: VAP paramKind and webhook configuration kinds are
// named by apiVersion + kind and resolved here.
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

function informerResourceOf(def: ResourceDefinition): InformerResource {
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
  scheme: Scheme = (builtins ??= new Scheme(BUILTIN_RESOURCES)),
): InformerResource {
  const def = scheme.kindForApiVersion(apiVersion, kind);
  if (!def) throw new UnknownKindError(apiVersion, kind);
  return informerResourceOf(def);
}
