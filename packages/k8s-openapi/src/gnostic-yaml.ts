// YAML text of a JSON value, laid out exactly as gnostic stores it in openapi.v2.Any.yaml.
// kube-apiserver builds its protobuf spec by parsing the JSON document with gnostic, which
// re-marshals every extension/default/enum value with gopkg.in/yaml.v3 after clearing the
// node styles: block style, 4-space indent, no line wrapping, and a scalar style chosen by
// the emitter's analysis. Clients compare these strings, so we reproduce that layout.

type Json = null | boolean | number | string | readonly Json[] | { readonly [k: string]: Json };

/** yaml.v3's rendering of `value` (as parsed from JSON), with its trailing newline. */
export function gnosticYaml(value: unknown): string {
  const out: string[] = [];
  writeNode(out, value as Json, -1, false, false);
  return out.join('');
}

const BEST_INDENT = 4;

// Mirrors the emitter's indent increase: one level inside a sequence item skips "- ",
// everything else aligns to the next multiple of the best indent.
function childIndent(indent: number, inSequenceItem: boolean, flow: boolean): number {
  if (indent < 0) return flow ? BEST_INDENT : 0;
  if (inSequenceItem) return indent + 2;
  return BEST_INDENT * Math.floor((indent + BEST_INDENT) / BEST_INDENT);
}

const isCollection = (v: Json): v is readonly Json[] | { readonly [k: string]: Json } =>
  typeof v === 'object' && v !== null;

const isEmpty = (v: Json): boolean =>
  Array.isArray(v) ? v.length === 0 : Object.keys(v as object).length === 0;

/**
 * Writes `value` whose parent sits at `indent`. The caller has already written the
 * line up to where the value starts: after "key:" (`afterKey`), after "- " (`inSeq`),
 * or nothing at the top level.
 */
function writeNode(
  out: string[],
  value: Json,
  indent: number,
  inSeq: boolean,
  afterKey: boolean,
): void {
  const sep = afterKey ? ' ' : '';
  if (!isCollection(value)) {
    const text = scalar(value, childIndent(indent, inSeq, true), false);
    // A literal block that ends in a line break has already ended its line.
    out.push(sep, text, text.endsWith('\n') ? '' : '\n');
    return;
  }
  if (isEmpty(value)) {
    out.push(sep, Array.isArray(value) ? '[]' : '{}', '\n');
    return;
  }
  const own = childIndent(indent, inSeq, false);
  // A block collection under a key starts on its own line; as a sequence item it
  // continues the "- " line.
  let inline = !afterKey;
  if (afterKey) out.push('\n');
  const lead = (): string => {
    const s = inline ? '' : ' '.repeat(own);
    inline = false;
    return s;
  };
  if (Array.isArray(value)) {
    for (const item of value as readonly Json[]) {
      out.push(lead(), '- ');
      writeNode(out, item, own, true, false);
    }
    return;
  }
  for (const [k, v] of Object.entries(value)) {
    out.push(lead(), scalar(k, own, true), ':');
    writeNode(out, v, own, false, true);
  }
}

function scalar(value: Exclude<Json, object>, literalIndent: number, simpleKey: boolean): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return JSON.stringify(value);
  return stringScalar(value, literalIndent, simpleKey);
}

function stringScalar(s: string, literalIndent: number, simpleKey: boolean): string {
  const a = analyze(s);
  if (s.includes('\n')) {
    if (a.blockAllowed && !simpleKey) return literal(s, literalIndent);
    return doubleQuoted(s);
  }
  // A string that would read back as another type (null, bool, number, date) is quoted.
  if (resolvesToNonString(s)) return doubleQuoted(s);
  if (a.blockPlainAllowed && s.length > 0) return s;
  if (a.singleQuotedAllowed) return `'${s.replaceAll("'", "''")}'`;
  return doubleQuoted(s);
}

interface Analysis {
  blockPlainAllowed: boolean;
  singleQuotedAllowed: boolean;
  blockAllowed: boolean;
}

const isBreak = (c: number): boolean =>
  c === 0x0a || c === 0x0d || c === 0x85 || c === 0x2028 || c === 0x2029;
const isBlank = (c: number | undefined): boolean =>
  c === undefined || c === 0x20 || c === 0x09 || isBreak(c);
// yaml.v3 looks at UTF-8 bytes: NEL and anything beyond the BMP count as unprintable.
const isPrintable = (c: number): boolean =>
  c === 0x0a ||
  (c >= 0x20 && c <= 0x7e) ||
  (c >= 0xa0 && c <= 0xd7ff) ||
  (c >= 0xe000 && c <= 0xfffd && c !== 0xfeff);

// The emitter's scalar analysis (which styles can represent the string faithfully).
function analyze(s: string): Analysis {
  const cps = [...s].map((ch) => ch.codePointAt(0)!);
  if (cps.length === 0) {
    return { blockPlainAllowed: false, singleQuotedAllowed: true, blockAllowed: false };
  }
  let blockIndicators = s.startsWith('---') || s.startsWith('...');
  let special = false;
  let lineBreaks = false;
  let tabs = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let prevSpace = false;
  let prevBreak = false;
  let precededByWs = true;
  for (let i = 0; i < cps.length; i++) {
    const c = cps[i]!;
    const followedByWs = isBlank(cps[i + 1]);
    const ch = String.fromCodePoint(c);
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(ch)) blockIndicators = true;
      if ((ch === '?' || ch === ':' || ch === '-') && followedByWs) blockIndicators = true;
    } else {
      if (ch === ':' && followedByWs) blockIndicators = true;
      if (ch === '#' && precededByWs) blockIndicators = true;
    }
    if (c === 0x09) tabs = true;
    else if (!isPrintable(c)) special = true;
    if (isBreak(c)) lineBreaks = true;
    if (c === 0x20) {
      if (i === 0) leadingSpace = true;
      if (i === cps.length - 1) trailingSpace = true;
      if (prevBreak) breakSpace = true;
      prevSpace = true;
      prevBreak = false;
    } else if (isBreak(c)) {
      if (i === 0) leadingBreak = true;
      if (i === cps.length - 1) trailingBreak = true;
      if (prevSpace) spaceBreak = true;
      prevBreak = true;
      prevSpace = false;
    } else {
      prevSpace = false;
      prevBreak = false;
    }
    precededByWs = isBlank(c);
  }
  let blockPlain = true;
  let single = true;
  let block = true;
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) blockPlain = false;
  if (trailingSpace) block = false;
  if (breakSpace) blockPlain = single = false;
  if (spaceBreak || tabs || special) blockPlain = single = block = false;
  if (lineBreaks) blockPlain = false;
  if (blockIndicators) blockPlain = false;
  return { blockPlainAllowed: blockPlain, singleQuotedAllowed: single, blockAllowed: block };
}

const RESOLVE_EXACT = new Set([
  '~',
  'null',
  'Null',
  'NULL',
  'true',
  'True',
  'TRUE',
  'false',
  'False',
  'FALSE',
  '.nan',
  '.NaN',
  '.NAN',
  '.inf',
  '.Inf',
  '.INF',
  '+.inf',
  '+.Inf',
  '+.INF',
  '-.inf',
  '-.Inf',
  '-.INF',
]);
// Go's strconv.ParseInt(s, 0, 64) syntax (underscores allowed after a base prefix).
const INT =
  /^[-+]?(0[xX]_?[0-9a-fA-F]+(_[0-9a-fA-F]+)*|0[oO]?_?[0-7]+(_[0-7]+)*|0[bB]_?[01]+(_[01]+)*|[1-9][0-9]*(_[0-9]+)*|0)$/;
const FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const TIMESTAMP =
  /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ][0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(\.[0-9]+)?(Z|[-+][0-9]{2}:[0-9]{2})?)?$/;

function resolvesToNonString(s: string): boolean {
  if (s === '' || RESOLVE_EXACT.has(s)) return true;
  if (!'+-.0123456789'.includes(s[0]!)) return false;
  return INT.test(s) || FLOAT.test(s) || TIMESTAMP.test(s);
}

const ESCAPES: Record<number, string> = {
  0x00: '\\0',
  0x07: '\\a',
  0x08: '\\b',
  0x09: '\\t',
  0x0a: '\\n',
  0x0b: '\\v',
  0x0c: '\\f',
  0x0d: '\\r',
  0x1b: '\\e',
  0x22: '\\"',
  0x5c: '\\\\',
  0x85: '\\N',
  0x2028: '\\L',
  0x2029: '\\P',
};

function doubleQuoted(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    const esc = ESCAPES[c];
    if (esc !== undefined) out += esc;
    else if (!isPrintable(c) || c === 0xfeff) {
      const hex = c.toString(16).toUpperCase();
      if (c <= 0xff) out += `\\x${hex.padStart(2, '0')}`;
      else if (c <= 0xffff) out += `\\u${hex.padStart(4, '0')}`;
      else out += `\\U${hex.padStart(8, '0')}`;
    } else out += ch;
  }
  return `${out}"`;
}

// The emitter ends the header line with the value's first break when it has a leading
// one (so that break is lost, as in yaml.v3), and indents every non-empty line.
function literal(s: string, indent: number): string {
  let out = '|';
  if (s.startsWith(' ') || isBreak(s.codePointAt(0)!)) out += String(BEST_INDENT);
  if (!s.endsWith('\n')) out += '-';
  else if (s.length === 1 || s.endsWith('\n\n')) out += '+';
  let breaks = true;
  let indention = false;
  for (const ch of s) {
    if (ch === '\n') {
      out += '\n';
      breaks = indention = true;
      continue;
    }
    if (breaks) out += `${indention ? '' : '\n'}${' '.repeat(indent)}`;
    out += ch;
    breaks = indention = false;
  }
  return out;
}
