// Namespaced functions (strings.quote, sets.contains...) through library constants: cel-js
// cannot declare "strings.quote(string)", but a constant `strings` with a receiver function
// gives the same call syntax.
import type { Environment } from '@marcbachmann/cel-js';

class StringsLibrary {}
class SetsLibrary {}

const same = (a: unknown, b: unknown): boolean => {
  const num = (x: unknown) => typeof x === 'bigint' || typeof x === 'number';
  // CEL compares int and double numerically.
  if (num(a) && num(b)) return (a as number) == (b as number);
  if (typeof a === 'object' && a !== null) return JSON.stringify(a, big) === JSON.stringify(b, big);
  return a === b;
};
const big = (_k: string, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v);
const contains = (l: unknown[], s: unknown[]) => s.every((x) => l.some((y) => same(x, y)));

export function registerNamespacedLibraries(env: Environment): Environment {
  return env
    .registerType('kubernetes.StringsLibrary', StringsLibrary)
    .registerType('kubernetes.SetsLibrary', SetsLibrary)
    .registerConstant('strings', 'kubernetes.StringsLibrary', new StringsLibrary())
    .registerConstant('sets', 'kubernetes.SetsLibrary', new SetsLibrary())
    .registerFunction('kubernetes.StringsLibrary.quote(string): string', (_l: unknown, s: string) =>
      JSON.stringify(s),
    )
    .registerFunction(
      'kubernetes.SetsLibrary.contains(list, list): bool',
      (_l: unknown, a: unknown[], b: unknown[]) => contains(a, b),
    )
    .registerFunction(
      'kubernetes.SetsLibrary.equivalent(list, list): bool',
      (_l: unknown, a: unknown[], b: unknown[]) => contains(a, b) && contains(b, a),
    )
    .registerFunction(
      'kubernetes.SetsLibrary.intersects(list, list): bool',
      (_l: unknown, a: unknown[], b: unknown[]) => a.some((x) => b.some((y) => same(x, y))),
    );
}
