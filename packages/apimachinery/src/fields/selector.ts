// Field selectors: comma-separated `field=value`, `field==value`, `field!=value` terms, ANDed.
// Parsing, matching and rendering follow k8s.io/apimachinery/pkg/fields.
import { FieldSelectorParseError } from './errors.js';
import { escapeValue, unescapeValue } from './escape.js';

export type FieldSet = Readonly<Record<string, string>>;

export interface FieldTerm {
  field: string;
  /** true for `=`/`==`, false for `!=`. */
  equals: boolean;
  value: string;
}

export class FieldSelector {
  constructor(readonly terms: readonly FieldTerm[]) {}

  static everything(): FieldSelector {
    return new FieldSelector([]);
  }

  /** Throws FieldSelectorParseError with kube's message. */
  static parse(selector: string): FieldSelector {
    // kube sorts the raw terms before parsing, which fixes the canonical order.
    const parts = splitTerms(selector).sort();
    const terms: FieldTerm[] = [];
    for (const part of parts) {
      if (part === '') continue;
      const split = splitTerm(part);
      if (!split) {
        throw new FieldSelectorParseError(
          `invalid selector: '${selector}'; can't understand '${part}'`,
        );
      }
      terms.push({ field: split.lhs, equals: split.op !== '!=', value: unescapeValue(split.rhs) });
    }
    return new FieldSelector(terms);
  }

  /** `{a: "b"}` -> `a=b`. */
  static fromSet(set: FieldSet): FieldSelector {
    return new FieldSelector(
      Object.keys(set)
        .sort()
        .map((field) => ({ field, equals: true, value: set[field]! })),
    );
  }

  /** Missing fields read as "", as kube's fields.Set does. */
  matches(fields: FieldSet): boolean {
    const get = (f: string) => (Object.prototype.hasOwnProperty.call(fields, f) ? fields[f]! : '');
    return this.terms.every((t) => (get(t.field) === t.value) === t.equals);
  }

  empty(): boolean {
    return this.terms.length === 0;
  }

  /** The value when some term is `field=value`: lets an index narrow the scan. */
  requiresExactMatch(field: string): string | undefined {
    for (const t of this.terms) if (t.field === field && t.equals) return t.value;
    return undefined;
  }

  /** Rewrites field names and values, e.g. kube's legacy `spec.host` -> `spec.nodeName`. */
  transform(fn: (field: string, value: string) => [string, string]): FieldSelector {
    return new FieldSelector(
      this.terms.map((t) => {
        const [field, value] = fn(t.field, t.value);
        return { field, equals: t.equals, value };
      }),
    );
  }

  toString(): string {
    return this.terms
      .map((t) => `${t.field}${t.equals ? '=' : '!='}${escapeValue(t.value)}`)
      .join(',');
  }
}

export const parseFieldSelector = (selector: string): FieldSelector =>
  FieldSelector.parse(selector);

/** Splits on commas that are not escaped with a backslash. */
function splitTerms(selector: string): string[] {
  if (selector.length === 0) return [];
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (inSlash) inSlash = false;
    else if (c === '\\') inSlash = true;
    else if (c === ',') {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms;
}

const termOperators = ['!=', '==', '='] as const;

/** The first operator position wins, checking `!=` and `==` before `=` at each position. */
function splitTerm(term: string): { lhs: string; op: string; rhs: string } | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of termOperators) {
      if (term.startsWith(op, i))
        return { lhs: term.slice(0, i), op, rhs: term.slice(i + op.length) };
    }
  }
  return undefined;
}
