// Value escaping of k8s.io/apimachinery/pkg/fields: `\`, `,` and `=` are escaped with `\`.
import { FieldSelectorParseError } from './errors.js';

export function escapeValue(s: string): string {
  return s.replace(/[\\,=]/g, (c) => `\\${c}`);
}

export function unescapeValue(s: string): string {
  if (!/[\\,=]/.test(s)) return s;
  let out = '';
  let inSlash = false;
  for (const c of s) {
    if (inSlash) {
      if (c !== '\\' && c !== ',' && c !== '=') {
        throw new FieldSelectorParseError(
          `invalid field selector: invalid escape sequence: \\${c}`,
        );
      }
      out += c;
      inSlash = false;
    } else if (c === '\\') {
      inSlash = true;
    } else if (c === ',' || c === '=') {
      // kube prints the rune with %v, i.e. as its code point number.
      throw new FieldSelectorParseError(
        `invalid field selector: unescaped character in value: ${c.codePointAt(0)}`,
      );
    } else {
      out += c;
    }
  }
  if (inSlash)
    throw new FieldSelectorParseError('invalid field selector: invalid escape sequence: \\');
  return out;
}
