// kube's choice among several classes annotated as default (storage and ingress alike):
// the newest wins; equal creation times fall back to the name, ascending.
import type { KubeObject } from '@splitplane/scheme';

const created = (o: KubeObject) => {
  const t = Date.parse(String(o.metadata?.creationTimestamp ?? ''));
  return Number.isNaN(t) ? 0 : t;
};

export function newestDefault(
  classes: KubeObject[],
  isDefault: (annotations: Record<string, string>) => boolean,
): KubeObject | undefined {
  const defaults = classes.filter((c) =>
    isDefault((c.metadata?.annotations ?? {}) as Record<string, string>),
  );
  defaults.sort((a, b) => {
    const d = created(b) - created(a);
    if (d !== 0) return d;
    const an = a.metadata?.name ?? '';
    const bn = b.metadata?.name ?? '';
    return an < bn ? -1 : an > bn ? 1 : 0;
  });
  return defaults[0];
}
