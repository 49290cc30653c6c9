// Kubernetes CEL lists library (k8s.io/apiserver/pkg/cel/library/lists.go).
import type { Environment } from '@marcbachmann/cel-js';
import { CelFunctionError } from '../errors.js';
import { Quantity } from './quantity-value.js';

function compare(a: unknown, b: unknown): number {
  if (a instanceof Quantity && b instanceof Quantity) return Number(a.compareTo(b));
  const ok = (x: unknown) =>
    typeof x === 'bigint' ||
    typeof x === 'number' ||
    typeof x === 'string' ||
    typeof x === 'boolean';
  if (!ok(a) || !ok(b) || (typeof a === 'string') !== (typeof b === 'string'))
    throw new CelFunctionError('no such overload: list elements are not comparable');
  return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
}

function equal(a: unknown, b: unknown): boolean {
  if (a instanceof Quantity && b instanceof Quantity) return a.equals(b);
  const num = (x: unknown) => typeof x === 'bigint' || typeof x === 'number';
  // CEL compares int and double numerically; JS loose equality does that for bigint/number.
  if (num(a) && num(b)) return (a as number) == (b as number);
  if ((typeof a === 'object' && a !== null) || (typeof b === 'object' && b !== null))
    return JSON.stringify(a, big) === JSON.stringify(b, big);
  return a === b;
}
const big = (_k: string, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v);

function extreme(list: unknown[], sign: 1 | -1, name: string): unknown {
  if (list.length === 0) throw new CelFunctionError(`${name} called on empty list`);
  let best = list[0];
  for (const v of list.slice(1)) if (compare(v, best) * sign > 0) best = v;
  return best;
}

export function registerListsLibrary(env: Environment): Environment {
  return env
    .registerFunction('list.isSorted(): bool', (l: unknown[]) =>
      l.every((v, i) => i === 0 || compare(l[i - 1], v) <= 0),
    )
    .registerFunction('list.sum(): dyn', (l: unknown[]) => {
      if (l.length === 0) return 0n;
      if (l.every((v) => typeof v === 'bigint')) return (l as bigint[]).reduce((a, b) => a + b, 0n);
      if (l.every((v) => v instanceof Quantity))
        return (l as Quantity[]).reduce((a, b) => a.add(b));
      if (l.every((v) => typeof v === 'number')) return (l as number[]).reduce((a, b) => a + b, 0);
      throw new CelFunctionError('no such overload: sum of mixed or non-numeric list');
    })
    .registerFunction('list.min(): dyn', (l: unknown[]) => extreme(l, -1, 'min'))
    .registerFunction('list.max(): dyn', (l: unknown[]) => extreme(l, 1, 'max'))
    .registerFunction('list.indexOf(dyn): int', (l: unknown[], x: unknown) =>
      BigInt(l.findIndex((v) => equal(v, x))),
    )
    .registerFunction('list.lastIndexOf(dyn): int', (l: unknown[], x: unknown) => {
      for (let i = l.length - 1; i >= 0; i--) if (equal(l[i], x)) return BigInt(i);
      return -1n;
    })
    .registerFunction('list.slice(int, int): list', (l: unknown[], a: bigint, b: bigint) => {
      if (a < 0n || b < a || b > BigInt(l.length))
        throw new CelFunctionError(`cannot slice(${a}, ${b}), list of size ${l.length}`);
      return l.slice(Number(a), Number(b));
    })
    .registerFunction('list.flatten(): list', (l: unknown[]) =>
      l.flatMap((v) => (Array.isArray(v) ? v : [v])),
    );
}
