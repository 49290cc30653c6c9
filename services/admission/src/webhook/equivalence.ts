// matchPolicy Equivalent: the same resource served under another group/version. kube learns
// these from the served APIs; the default table holds kube's well-known moves (apps from
// extensions, networking from extensions) and a caller can supply its own mapper.
import type { GroupVersionKind, GroupVersionResource } from '@splitplane/proto';
import type { ResourceDefinition } from '@splitplane/scheme';

export interface EquivalentResource {
  resource: GroupVersionResource;
  kind: GroupVersionKind;
}

export interface EquivalentResourceMapper {
  /** Other group/versions serving the same resource (the request's own excluded). */
  equivalents(resource: GroupVersionResource, subresource: string): EquivalentResource[];
}

/** Groups of group/versions that serve a resource as one, keyed by resource name. */
export const WELL_KNOWN_EQUIVALENTS: Record<string, { kind: string; gvs: string[] }> = {
  deployments: {
    kind: 'Deployment',
    gvs: ['apps/v1', 'apps/v1beta2', 'apps/v1beta1', 'extensions/v1beta1'],
  },
  daemonsets: { kind: 'DaemonSet', gvs: ['apps/v1', 'apps/v1beta2', 'extensions/v1beta1'] },
  replicasets: { kind: 'ReplicaSet', gvs: ['apps/v1', 'apps/v1beta2', 'extensions/v1beta1'] },
  statefulsets: { kind: 'StatefulSet', gvs: ['apps/v1', 'apps/v1beta2', 'apps/v1beta1'] },
  networkpolicies: { kind: 'NetworkPolicy', gvs: ['networking.k8s.io/v1', 'extensions/v1beta1'] },
  ingresses: {
    kind: 'Ingress',
    gvs: ['networking.k8s.io/v1', 'networking.k8s.io/v1beta1', 'extensions/v1beta1'],
  },
};

/** The kind a subresource carries in its own right (scale is autoscaling/v1 Scale). */
function subresourceKind(kind: GroupVersionKind, subresource: string): GroupVersionKind {
  if (subresource === 'scale') return { group: 'autoscaling', version: 'v1', kind: 'Scale' };
  return kind;
}

function splitGv(gv: string): { group: string; version: string } {
  const slash = gv.indexOf('/');
  return slash < 0
    ? { group: '', version: gv }
    : { group: gv.slice(0, slash), version: gv.slice(slash + 1) };
}

export class StaticEquivalentResourceMapper implements EquivalentResourceMapper {
  constructor(private readonly table = WELL_KNOWN_EQUIVALENTS) {}

  equivalents(resource: GroupVersionResource, subresource: string): EquivalentResource[] {
    const entry = this.table[resource.resource];
    const own = resource.group ? `${resource.group}/${resource.version}` : resource.version;
    if (!entry || !entry.gvs.includes(own)) return [];
    return entry.gvs
      .filter((gv) => gv !== own)
      .map((gv) => {
        const { group, version } = splitGv(gv);
        return {
          resource: { group, version, resource: resource.resource },
          kind: subresourceKind({ group, version, kind: entry.kind }, subresource),
        };
      });
  }
}

/** The served resources a scheme knows (a @splitplane/scheme Scheme fits). */
export interface ServedResources {
  all(): readonly Pick<ResourceDefinition, 'group' | 'version' | 'plural' | 'kind'>[];
}

/**
 * kube's EquivalentResourceRegistry over what is actually served: the same group/resource in
 * its other served versions, plus the well-known cross-group moves when both ends are served.
 */
export class ServedEquivalentResourceMapper implements EquivalentResourceMapper {
  constructor(private readonly served: ServedResources) {}

  equivalents(resource: GroupVersionResource, subresource: string): EquivalentResource[] {
    const defs = this.served.all();
    const isServed = (group: string, version: string) =>
      defs.some(
        (d) => d.group === group && d.version === version && d.plural === resource.resource,
      );
    if (!isServed(resource.group, resource.version)) return [];
    const out = new Map<string, EquivalentResource>();
    const add = (group: string, version: string, kind: string) => {
      if (group === resource.group && version === resource.version) return;
      out.set(`${group}/${version}`, {
        resource: { group, version, resource: resource.resource },
        kind: subresourceKind({ group, version, kind }, subresource),
      });
    };
    for (const d of defs)
      if (d.group === resource.group && d.plural === resource.resource)
        add(d.group, d.version, d.kind);
    const own = resource.group ? `${resource.group}/${resource.version}` : resource.version;
    const known = WELL_KNOWN_EQUIVALENTS[resource.resource];
    if (known?.gvs.includes(own)) {
      for (const gv of known.gvs) {
        const { group, version } = splitGv(gv);
        if (isServed(group, version)) add(group, version, known.kind);
      }
    }
    return [...out.values()];
  }
}
