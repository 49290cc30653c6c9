// kube prints a resource in errors as "<resource>.<group>" ("deployments.apps"), or just
// "<resource>" for the core group.

export interface GroupResource {
  group: string;
  resource: string;
}

export function formatGroupResource(gr: GroupResource): string {
  return gr.group ? `${gr.resource}.${gr.group}` : gr.resource;
}

export interface GroupKind {
  group: string;
  kind: string;
}

export function formatGroupKind(gk: GroupKind): string {
  return gk.group ? `${gk.kind}.${gk.group}` : gk.kind;
}
