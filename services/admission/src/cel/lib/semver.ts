// Kubernetes CEL semver library (k8s.io/apiserver/pkg/cel/library/semverlib.go).
import type { Environment } from '@marcbachmann/cel-js';
import { CelFunctionError } from '../errors.js';

const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

export class Semver {
  constructor(
    readonly major: bigint,
    readonly minor: bigint,
    readonly patch: bigint,
    readonly pre: string[],
  ) {}

  static tryParse(s: string): Semver | undefined {
    const m = SEMVER.exec(s);
    if (!m) return undefined;
    return new Semver(BigInt(m[1]!), BigInt(m[2]!), BigInt(m[3]!), m[4] ? m[4].split('.') : []);
  }

  static parse(s: string): Semver {
    const v = Semver.tryParse(s);
    if (!v) throw new CelFunctionError(`could not parse semver '${s}'`);
    return v;
  }

  compareTo(o: Semver): bigint {
    for (const k of ['major', 'minor', 'patch'] as const)
      if (this[k] !== o[k]) return this[k] < o[k] ? -1n : 1n;
    // A pre-release sorts before its release; identifiers compare numerically, then lexically.
    if (!this.pre.length || !o.pre.length)
      return this.pre.length === o.pre.length ? 0n : this.pre.length ? -1n : 1n;
    for (let i = 0; i < Math.max(this.pre.length, o.pre.length); i++) {
      const a = this.pre[i];
      const b = o.pre[i];
      if (a === undefined) return -1n;
      if (b === undefined) return 1n;
      if (a === b) continue;
      const an = /^\d+$/.test(a);
      const bn = /^\d+$/.test(b);
      if (an && bn) return BigInt(a) < BigInt(b) ? -1n : 1n;
      if (an !== bn) return an ? -1n : 1n;
      return a < b ? -1n : 1n;
    }
    return 0n;
  }
}

export function registerSemverLibrary(env: Environment): Environment {
  return env
    .registerType('kubernetes.Semver', Semver)
    .registerFunction('semver(string): kubernetes.Semver', (s: string) => Semver.parse(s))
    .registerFunction('isSemver(string): bool', (s: string) => Semver.tryParse(s) !== undefined)
    .registerFunction('kubernetes.Semver.major(): int', (v: Semver) => v.major)
    .registerFunction('kubernetes.Semver.minor(): int', (v: Semver) => v.minor)
    .registerFunction('kubernetes.Semver.patch(): int', (v: Semver) => v.patch)
    .registerFunction(
      'kubernetes.Semver.compareTo(kubernetes.Semver): int',
      (a: Semver, b: Semver) => a.compareTo(b),
    )
    .registerFunction(
      'kubernetes.Semver.isGreaterThan(kubernetes.Semver): bool',
      (a: Semver, b: Semver) => a.compareTo(b) > 0n,
    )
    .registerFunction(
      'kubernetes.Semver.isLessThan(kubernetes.Semver): bool',
      (a: Semver, b: Semver) => a.compareTo(b) < 0n,
    )
    .registerOperator(
      'kubernetes.Semver == kubernetes.Semver',
      (a: Semver, b: Semver) => a.compareTo(b) === 0n,
    );
}
