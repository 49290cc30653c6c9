// Message helpers matching pod-security-admission's pluralize/joinQuote (Go %q quoting).

export const pluralize = (singular: string, plural: string, n: number) =>
  n === 1 ? singular : plural;

/** Go's %q: JSON quoting, with Go's escapes for control characters. */
export function goQuote(s: string): string {
  const named: Record<string, string> = { '\u0007': '\\a', '\u000b': '\\v' };
  return JSON.stringify(s)
    .replace(
      /\\u00(0[0-9a-f]|1[0-9a-f])/g,
      (_m, hex: string) => named[String.fromCharCode(parseInt(hex, 16))] ?? `\\x${hex}`,
    )
    .replace(/\u007f/g, '\\x7f');
}

/** `"a", "b"`: each item Go-quoted, comma separated. */
export const joinQuote = (items: readonly string[]) => items.map(goQuote).join(', ');

/** Sorted, de-duplicated, as Go's sets.String.List(). */
export const sortedSet = (items: Iterable<string>) => [...new Set(items)].sort(byteOrder);

/** Go sorts strings by bytes; JS's default sort compares UTF-16 units, equal for ASCII. */
export const byteOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** "pod and containers "a", "b"" style setter list. */
export function setters(pod: boolean, containers: readonly string[]): string[] {
  const out: string[] = pod ? ['pod'] : [];
  if (containers.length > 0) {
    out.push(`${pluralize('container', 'containers', containers.length)} ${joinQuote(containers)}`);
  }
  return out;
}
