// kube's ResourceQuotaConfiguration (the ResourceQuota entry of --admission-control-config-file):
// limitedResources whose consumption needs a covering quota.
import type { ScopeSelectorRequirement } from './evaluators/types.js';

export interface LimitedResource {
  apiGroup: string;
  resource: string;
  /** Resource names containing any of these need a quota that limits them. */
  matchContains: string[];
  /** Objects in any of these scopes need a quota with the same scope. */
  matchScopes: ScopeSelectorRequirement[];
}

export interface ResourceQuotaConfiguration {
  limitedResources: LimitedResource[];
}

const VERSIONS = new Set([
  'apiserver.config.k8s.io/v1',
  'resourcequota.admission.k8s.io/v1beta1',
  'resourcequota.admission.k8s.io/v1alpha1',
]);

export class ResourceQuotaConfigError extends Error {
  constructor(message: string) {
    super(`ResourceQuotaConfiguration: ${message}`);
    this.name = 'ResourceQuotaConfigError';
  }
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);

function strings(v: unknown, path: string): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string'))
    throw new ResourceQuotaConfigError(`${path}: must be a list of strings`);
  return v as string[];
}

/** Parses the plugin configuration; no configuration limits nothing. */
export function resourceQuotaConfigFrom(raw: unknown): ResourceQuotaConfiguration {
  if (raw === undefined || raw === null) return { limitedResources: [] };
  if (!isObject(raw)) throw new ResourceQuotaConfigError('must be an object');
  if (raw['kind'] !== undefined && raw['kind'] !== 'ResourceQuotaConfiguration')
    throw new ResourceQuotaConfigError(`unexpected kind ${String(raw['kind'])}`);
  if (raw['apiVersion'] !== undefined && !VERSIONS.has(String(raw['apiVersion'])))
    throw new ResourceQuotaConfigError(`unexpected apiVersion ${String(raw['apiVersion'])}`);
  const list = raw['limitedResources'] ?? [];
  if (!Array.isArray(list)) throw new ResourceQuotaConfigError('limitedResources: must be a list');
  const limitedResources = list.map((item, i): LimitedResource => {
    const path = `limitedResources[${i}]`;
    if (!isObject(item)) throw new ResourceQuotaConfigError(`${path}: must be an object`);
    if (typeof item['resource'] !== 'string' || item['resource'] === '')
      throw new ResourceQuotaConfigError(`${path}.resource: Required value`);
    const scopes = item['matchScopes'] ?? [];
    if (!Array.isArray(scopes))
      throw new ResourceQuotaConfigError(`${path}.matchScopes: must be a list`);
    return {
      apiGroup: typeof item['apiGroup'] === 'string' ? item['apiGroup'] : '',
      resource: item['resource'],
      matchContains: strings(item['matchContains'], `${path}.matchContains`),
      matchScopes: scopes.map((s, j) => {
        if (!isObject(s) || typeof s['scopeName'] !== 'string' || typeof s['operator'] !== 'string')
          throw new ResourceQuotaConfigError(
            `${path}.matchScopes[${j}]: scopeName and operator are required`,
          );
        const values = strings(s['values'], `${path}.matchScopes[${j}].values`);
        return {
          scopeName: s['scopeName'],
          operator: s['operator'],
          ...(values.length > 0 ? { values } : {}),
        };
      }),
    };
  });
  return { limitedResources };
}

/** Go's %v of a []ScopedResourceSelectorRequirement, as kube's message prints it. */
export function formatScopes(scopes: readonly ScopeSelectorRequirement[]): string {
  return `[${scopes.map((s) => `{${s.scopeName} ${s.operator} [${(s.values ?? []).join(' ')}]}`).join(' ')}]`;
}
