// string.format of cel-go's strings extension: %s %d %f %e %b %o %x %X and %%, with an
// optional precision for %f/%e (default 6, as cel-go).
import { CelFunctionError } from '../errors.js';
import { Quantity } from './quantity-value.js';

const VERB = /%(?:\.(\d+))?([sdfeboxX%])/g;

function asString(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return v;
  if (typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (typeof v === 'number') return Number.isInteger(v) ? `${v}` : String(v);
  if (Array.isArray(v)) return `[${v.map(asString).join(', ')}]`;
  if (v instanceof Quantity) return v.toString();
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') {
    const entries = v instanceof Map ? [...v.entries()] : Object.entries(v);
    return `{${entries.map(([k, x]) => `${asString(k)}: ${asString(x)}`).join(', ')}}`;
  }
  return String(v);
}

function integer(v: unknown, verb: string): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  throw new CelFunctionError(`error during formatting: ${verb} requires an integer argument`);
}

export function formatString(format: string, args: unknown[]): string {
  let i = 0;
  return format.replace(VERB, (_m, precision: string | undefined, verb: string) => {
    if (verb === '%') return '%';
    if (i >= args.length) throw new CelFunctionError(`index ${i} out of range`);
    const v = args[i++];
    switch (verb) {
      case 's':
        return asString(v);
      case 'd':
        return integer(v, '%d').toString();
      case 'b':
        return typeof v === 'boolean' ? String(v) : integer(v, '%b').toString(2);
      case 'o':
        return integer(v, '%o').toString(8);
      case 'x':
      case 'X': {
        const s =
          typeof v === 'string' ? Buffer.from(v).toString('hex') : integer(v, '%x').toString(16);
        return verb === 'X' ? s.toUpperCase() : s;
      }
      case 'f':
      case 'e': {
        const n = typeof v === 'bigint' ? Number(v) : v;
        if (typeof n !== 'number')
          throw new CelFunctionError(
            `error during formatting: %${verb} requires a number argument`,
          );
        const p = precision === undefined ? 6 : Number(precision);
        return verb === 'f' ? n.toFixed(p) : n.toExponential(p).replace(/e([+-])(\d)$/, 'e$10$2');
      }
    }
    return '';
  });
}
