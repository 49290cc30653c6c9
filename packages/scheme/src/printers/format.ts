// Cell formatting helpers shared by the printers, following kube's label and selector
// string forms.

export type Obj = Record<string, unknown>;

export const obj = (v: unknown): Obj =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {};
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const str = (v: unknown): string => (typeof v === 'string' ? v : '');
export const num = (v: unknown, fallback = 0): number =>
  typeof v === 'number' && Number.isFinite(v) ? v : fallback;

/** Walk a dotted path through nested objects. */
export function at(root: unknown, ...path: string[]): unknown {
  let cur: unknown = root;
  for (const p of path) cur = obj(cur)[p];
  return cur;
}

export const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** labels.FormatLabels: "a=1,b=2" sorted by key, "<none>" when empty. */
export function formatLabels(labels: unknown): string {
  const entries = Object.entries(obj(labels)).sort(([a], [b]) => compare(a, b));
  if (entries.length === 0) return '<none>';
  return entries.map(([k, v]) => `${k}=${str(v)}`).join(',');
}

/**
 * The string form of a metav1.LabelSelector as a labels.Selector prints it: requirements
 * sorted by key; "" for a nil or empty selector; undefined when the selector is invalid.
 */
export function labelSelectorString(selector: unknown): string | undefined {
  if (selector === null || selector === undefined) return '';
  const sel = obj(selector);
  const reqs: Array<[string, string]> = [];
  for (const [k, v] of Object.entries(obj(sel.matchLabels))) reqs.push([k, `${k}=${str(v)}`]);
  for (const e of arr(sel.matchExpressions)) {
    const expr = obj(e);
    const key = str(expr.key);
    const values = arr(expr.values).map(str).sort(compare);
    switch (expr.operator) {
      case 'In':
        if (values.length === 0) return undefined;
        reqs.push([key, `${key} in (${values.join(',')})`]);
        break;
      case 'NotIn':
        if (values.length === 0) return undefined;
        reqs.push([key, `${key} notin (${values.join(',')})`]);
        break;
      case 'Exists':
        reqs.push([key, key]);
        break;
      case 'DoesNotExist':
        reqs.push([key, `!${key}`]);
        break;
      default:
        return undefined;
    }
  }
  // A stable sort by key only, as kube's ByKey sort of requirements.
  return reqs
    .sort(([a], [b]) => compare(a, b))
    .map(([, s]) => s)
    .join(',');
}

/** metav1.FormatLabelSelector: "<none>" when empty, "<error>" when invalid. */
export function formatLabelSelector(selector: unknown): string {
  const s = labelSelectorString(selector);
  if (s === undefined) return '<error>';
  return s === '' ? '<none>' : s;
}

/** Container names and images, each comma-joined, as the wide CONTAINERS/IMAGES columns. */
export function containerCells(podSpec: unknown): [string, string] {
  const containers = arr(obj(podSpec).containers).map(obj);
  return [
    containers.map((c) => str(c.name)).join(','),
    containers.map((c) => str(c.image)).join(','),
  ];
}

/** "a,b,c + 2 more..." for lists capped at `max` shown entries; "<unset>" when empty. */
export function listWithMore(list: string[], count: number, max: number): string {
  const shown = list.slice(0, max).join(',');
  if (count > max) return `${shown} + ${count - max} more...`;
  return shown === '' ? '<unset>' : shown;
}

/** net.JoinHostPort: IPv6 hosts are bracketed. */
export function joinHostPort(host: string, port: number | string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** IntOrString as Go's String() prints it. */
export function intOrString(v: unknown): string {
  return typeof v === 'number' ? String(v) : str(v);
}
