// Kubernetes CEL regex library (k8s.io/apiserver/pkg/cel/library/regex.go): find, findAll.
// Patterns run on JavaScript's engine, which accepts RE2's common syntax; see README for limits.
import type { Environment } from '@marcbachmann/cel-js';
import { CelFunctionError } from '../errors.js';

const cache = new Map<string, RegExp>();

function compile(pattern: string): RegExp {
  let re = cache.get(pattern);
  if (!re) {
    try {
      re = new RegExp(pattern, 'gu');
    } catch (err) {
      throw new CelFunctionError(`invalid regex '${pattern}': ${(err as Error).message}`);
    }
    if (cache.size > 1000) cache.clear();
    cache.set(pattern, re);
  }
  re.lastIndex = 0;
  return re;
}

function findAll(s: string, pattern: string, limit: bigint): string[] {
  if (limit === 0n) return [];
  const out: string[] = [];
  for (const m of s.matchAll(compile(pattern))) {
    out.push(m[0]);
    if (limit > 0n && BigInt(out.length) >= limit) break;
  }
  return out;
}

export function registerRegexLibrary(env: Environment): Environment {
  return env
    .registerFunction(
      'string.find(string): string',
      (s: string, p: string) => findAll(s, p, 1n)[0] ?? '',
    )
    .registerFunction('string.findAll(string): list<string>', (s: string, p: string) =>
      findAll(s, p, -1n),
    )
    .registerFunction(
      'string.findAll(string, int): list<string>',
      (s: string, p: string, n: bigint) => findAll(s, p, n),
    );
}
