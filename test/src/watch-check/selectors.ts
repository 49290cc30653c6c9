// The checker's own label and field selector evaluation, written apart from the plane's so
// that a selector bug in the plane cannot hide itself by also being in the reference.
// Covers the grammar the invariant test uses: `k=v`, `k==v`, `k!=v`, `k in (a,b)`,
// `k notin (a,b)`, `k`, `!k`; fields `metadata.name` and `metadata.namespace` with `=`/`!=`.

export interface Selectable {
  namespace: string;
  name: string;
  labels: Readonly<Record<string, string>>;
}

type Requirement = (labels: Readonly<Record<string, string>>) => boolean;

/** Splits on commas outside parentheses. */
function splitTerms(selector: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

function setOf(list: string): Set<string> {
  return new Set(
    list
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
}

function labelRequirement(term: string): Requirement {
  let m = /^(\S+)\s+(in|notin)\s*\((.*)\)$/.exec(term);
  if (m) {
    const [, key, op, list] = m as unknown as [string, string, string, string];
    const values = setOf(list);
    return op === 'in'
      ? (l) => key in l && values.has(l[key]!)
      : (l) => !(key in l) || !values.has(l[key]!);
  }
  m = /^([^!=\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(term);
  if (m) {
    const [, key, op, value] = m as unknown as [string, string, string, string];
    return op === '!=' ? (l) => l[key] !== value : (l) => l[key] === value;
  }
  m = /^!\s*(\S+)$/.exec(term);
  if (m) {
    const key = m[1]!;
    return (l) => !(key in l);
  }
  if (/^\S+$/.test(term)) return (l) => term in l;
  throw new Error(`watch-check: unsupported label selector term "${term}"`);
}

export function parseLabelSelector(selector: string | undefined): Requirement {
  const reqs = splitTerms(selector ?? '').map(labelRequirement);
  return (labels) => reqs.every((r) => r(labels));
}

export function parseFieldSelector(selector: string | undefined): (o: Selectable) => boolean {
  const reqs = splitTerms(selector ?? '').map((term) => {
    const m = /^(metadata\.name|metadata\.namespace)\s*(==|=|!=)\s*(\S*)$/.exec(term);
    if (!m) throw new Error(`watch-check: unsupported field selector term "${term}"`);
    const [, field, op, value] = m as unknown as [string, string, string, string];
    const get = (o: Selectable) => (field === 'metadata.name' ? o.name : o.namespace);
    return op === '!=' ? (o: Selectable) => get(o) !== value : (o: Selectable) => get(o) === value;
  });
  return (o) => reqs.every((r) => r(o));
}

/** What a watcher asked for: the scope of its URL and its selectors. */
export interface WatchFilter {
  /** Namespace of a namespaced watch; undefined for a watch across all namespaces. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

export function describeFilter(f: WatchFilter): string {
  const parts = [`ns=${f.namespace ?? '*'}`];
  if (f.labelSelector) parts.push(`labels="${f.labelSelector}"`);
  if (f.fieldSelector) parts.push(`fields="${f.fieldSelector}"`);
  return parts.join(' ');
}

export function compileFilter(f: WatchFilter): (o: Selectable) => boolean {
  const labels = parseLabelSelector(f.labelSelector);
  const fields = parseFieldSelector(f.fieldSelector);
  return (o) =>
    (f.namespace === undefined || o.namespace === f.namespace) && labels(o.labels) && fields(o);
}
