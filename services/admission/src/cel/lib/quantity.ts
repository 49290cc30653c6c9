// Kubernetes CEL quantity library (k8s.io/apiserver/pkg/cel/library/quantity.go):
// quantity(), isQuantity(), and comparison/arithmetic/conversion methods.
import type { Environment } from '@marcbachmann/cel-js';
import { Quantity } from './quantity-value.js';

export function registerQuantityLibrary(env: Environment): Environment {
  return env
    .registerType('Quantity', Quantity)
    .registerFunction('quantity(string): Quantity', (s: string) => Quantity.parse(s))
    .registerFunction('isQuantity(string): bool', (s: string) => Quantity.tryParse(s) !== undefined)
    .registerFunction('Quantity.sign(): int', (q: Quantity) => q.sign())
    .registerFunction('Quantity.isInteger(): bool', (q: Quantity) => q.isInteger())
    .registerFunction('Quantity.asInteger(): int', (q: Quantity) => q.asInteger())
    .registerFunction('Quantity.asApproximateFloat(): double', (q: Quantity) =>
      q.asApproximateFloat(),
    )
    .registerFunction('Quantity.compareTo(Quantity): int', (a: Quantity, b: Quantity) =>
      a.compareTo(b),
    )
    .registerFunction(
      'Quantity.isGreaterThan(Quantity): bool',
      (a: Quantity, b: Quantity) => a.compareTo(b) > 0n,
    )
    .registerFunction(
      'Quantity.isLessThan(Quantity): bool',
      (a: Quantity, b: Quantity) => a.compareTo(b) < 0n,
    )
    .registerFunction('Quantity.add(Quantity): Quantity', (a: Quantity, b: Quantity) => a.add(b))
    .registerFunction('Quantity.add(int): Quantity', (a: Quantity, b: bigint) =>
      a.add(Quantity.fromInt(b)),
    )
    .registerFunction('Quantity.sub(Quantity): Quantity', (a: Quantity, b: Quantity) => a.sub(b))
    .registerFunction('Quantity.sub(int): Quantity', (a: Quantity, b: bigint) =>
      a.sub(Quantity.fromInt(b)),
    )
    .registerOperator('Quantity == Quantity', (a: Quantity, b: Quantity) => a.equals(b));
}
