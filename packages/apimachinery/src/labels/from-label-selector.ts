// metav1.LabelSelector -> Selector, as metav1.LabelSelectorAsSelector converts it: nil selects
// nothing, an empty selector selects everything.
import type { LabelSelector } from '../validation/labels.js';
import { SelectorParseError } from './errors.js';
import { type Operator, Requirement } from './requirement.js';
import { Selector } from './selector.js';

const operators: Record<string, Operator> = {
  In: 'in',
  NotIn: 'notin',
  Exists: 'exists',
  DoesNotExist: '!',
};

export function fromLabelSelector(ls: LabelSelector | null | undefined): Selector {
  if (!ls) return Selector.nothing();
  const matchLabels = ls.matchLabels ?? {};
  const exprs = ls.matchExpressions ?? [];
  if (Object.keys(matchLabels).length + exprs.length === 0) return Selector.everything();
  const reqs: Requirement[] = [];
  for (const k of Object.keys(matchLabels))
    reqs.push(Requirement.create(k, '=', [matchLabels[k]!]));
  for (const expr of exprs) {
    const op = operators[expr.operator];
    if (!op)
      throw new SelectorParseError(
        `${JSON.stringify(expr.operator)} is not a valid label selector operator`,
      );
    reqs.push(Requirement.create(expr.key, op, expr.values ?? []));
  }
  return Selector.of(reqs);
}
