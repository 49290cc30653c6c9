// Backend warnings -> `Warning: 299 - "<text>"` headers, kube's format (RFC 7234 warn-code
// 299, agent "-", the text as a quoted string). Non-ASCII is escaped since header values
// must be Latin-1 on the wire.
import type { Response } from 'express';

export function warningHeaderValue(text: string): string {
  return `299 - ${quote(text)}`;
}

export function addWarnings(res: Response, warnings: readonly string[]): void {
  if (warnings.length === 0) return;
  const seen = new Set<string>();
  for (const w of warnings) {
    if (!w || seen.has(w)) continue;
    seen.add(w);
    res.append('Warning', warningHeaderValue(w));
  }
}

/** Go's strconv.QuoteToASCII for the characters warnings contain. */
function quote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp < 0x80) out += ch;
    else if (cp <= 0xffff) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += `\\U${cp.toString(16).padStart(8, '0')}`;
  }
  return out + '"';
}
