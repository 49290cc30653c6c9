// Go's %q for strings and string slices, which kube's RBAC messages are formatted with.
// JSON string escaping equals Go's for the printable ASCII that names are made of.

export function goQuote(s: string): string {
  return JSON.stringify(s);
}

/** `%q` of a []string: `["a" "b"]`. */
export function goQuoteList(list: readonly string[]): string {
  return `[${list.map(goQuote).join(' ')}]`;
}
