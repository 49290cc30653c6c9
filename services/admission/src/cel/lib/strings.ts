// cel-go's strings extension as Kubernetes enables it. The CEL library already provides
// lowerAscii, upperAscii, split, join, trim, indexOf, lastIndexOf, substring; this adds the rest.
import type { Environment } from '@marcbachmann/cel-js';
import { CelFunctionError } from '../errors.js';
import { formatString } from './format.js';

const codePoints = (s: string) => Array.from(s);

function replace(s: string, from: string, to: string, limit: bigint): string {
  if (limit < 0n) return s.split(from).join(to);
  let out = '';
  let rest = s;
  for (let n = 0n; n < limit; n++) {
    const i = rest.indexOf(from);
    if (i < 0) break;
    out += rest.slice(0, i) + to;
    rest = rest.slice(i + from.length);
    if (from === '') {
      // An empty needle matches between every code point, as in Go's strings.Replace.
      if (!rest) break;
      const [first = ''] = codePoints(rest);
      out += first;
      rest = rest.slice(first.length);
    }
  }
  return out + rest;
}

export function registerStringsLibrary(env: Environment): Environment {
  return env
    .registerFunction('string.replace(string, string): string', (s: string, a: string, b: string) =>
      replace(s, a, b, -1n),
    )
    .registerFunction(
      'string.replace(string, string, int): string',
      (s: string, a: string, b: string, n: bigint) => replace(s, a, b, n),
    )
    .registerFunction('string.charAt(int): string', (s: string, i: bigint) => {
      const cps = codePoints(s);
      if (i < 0n || i > BigInt(cps.length)) throw new CelFunctionError(`index out of range: ${i}`);
      return cps[Number(i)] ?? '';
    })
    .registerFunction('string.reverse(): string', (s: string) => codePoints(s).reverse().join(''))
    .registerFunction('string.format(list): string', (s: string, args: unknown[]) =>
      formatString(s, args),
    );
}
