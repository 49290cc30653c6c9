// A parsed label selector: an AND of requirements, kept sorted by key like kube's
// internalSelector, so toString() gives kube's canonical form.
import { type Labels, type Operator, Requirement } from './requirement.js';
import { parseRequirements } from './parser.js';

export class Selector {
  private constructor(
    readonly requirements: readonly Requirement[],
    /** labels.Nothing(): matches no object (a nil metav1.LabelSelector). */
    private readonly nothing = false,
  ) {}

  static everything(): Selector {
    return new Selector([]);
  }

  static nothing(): Selector {
    return new Selector([], true);
  }

  /** Throws SelectorParseError with kube's message. */
  static parse(selector: string): Selector {
    return new Selector(parseRequirements(selector));
  }

  /** `{a: "b"}` -> `a=b`, validated. */
  static fromSet(labels: Labels): Selector {
    return Selector.everything().add(
      ...Object.keys(labels).map((k) => Requirement.create(k, '=', [labels[k]!])),
    );
  }

  static of(requirements: Iterable<Requirement>): Selector {
    return Selector.everything().add(...requirements);
  }

  /** A new selector with more requirements, re-sorted by key. */
  add(...reqs: Requirement[]): Selector {
    const all = [...this.requirements, ...reqs].sort((a, b) =>
      a.key < b.key ? -1 : a.key > b.key ? 1 : 0,
    );
    return new Selector(all, this.nothing);
  }

  matches(labels: Labels | null | undefined): boolean {
    if (this.nothing) return false;
    const ls = labels ?? {};
    return this.requirements.every((r) => r.matches(ls));
  }

  /** True when the selector selects everything. */
  empty(): boolean {
    return !this.nothing && this.requirements.length === 0;
  }

  isNothing(): boolean {
    return this.nothing;
  }

  toString(): string {
    return this.requirements.map((r) => r.toString()).join(',');
  }

  /** Requirements on `key`, for indexes that can narrow a scan. */
  requirementsForKey(key: string): Requirement[] {
    return this.requirements.filter((r) => r.key === key);
  }

  /**
   * The value when the selector pins `key` to exactly one value (`k=v`, `k==v`, `k in (v)`),
   * judged, as kube does, by the first requirement on that key.
   */
  exactMatch(key: string): string | undefined {
    const r = this.requirements.find((q) => q.key === key);
    if (!r) return undefined;
    const pins: Operator[] = ['=', '==', 'in'];
    return pins.includes(r.operator) && r.values.length === 1 ? r.values[0] : undefined;
  }
}

export const parseSelector = (selector: string): Selector => Selector.parse(selector);
