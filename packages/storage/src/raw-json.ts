// An object's reply JSON straight from its stored bytes: `metadata.resourceVersion` spliced
// into the value etcd holds, without JSON.parse + JSON.stringify (the largest per-object
// cost of GET and LIST from etcd).
//
// The result must equal JSON.stringify(withResourceVersion(JSON.parse(value), rv)) byte for
// byte. That holds when the stored bytes are already what JSON.stringify writes, which is
// how the registry writes them (codec.ts); the scanner checks that form as it goes
// (no whitespace, no escapes JSON.stringify would not write, integers only, valid UTF-8,
// no repeated keys) and anything else goes the slow way, so the answer never differs.
import { isUtf8 } from 'node:buffer';
import { decodeObject } from './codec.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const MINUS = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;
/** Escapes JSON.stringify writes besides \uXXXX (which is left to the slow path). */
const SIMPLE_ESCAPES = new Set([QUOTE, BACKSLASH, 0x62, 0x66, 0x6e, 0x72, 0x74]);
/** Longer integers may not survive JSON.parse unchanged (2^53). */
const MAX_INTEGER_DIGITS = 15;

const METADATA = Buffer.from('metadata');
const RESOURCE_VERSION = Buffer.from('resourceVersion');

class NotCanonical extends Error {}
const NOT_CANONICAL = new NotCanonical();

/** `JSON.stringify(withResourceVersion(JSON.parse(value), rv))` as UTF-8 bytes. */
export function jsonWithResourceVersion(value: Buffer, rv: string): Buffer {
  const spliced = splice(value, rv);
  return spliced ?? Buffer.from(JSON.stringify(decodeObject(value, rv)), 'utf8');
}

function splice(value: Buffer, rv: string): Buffer | undefined {
  if (value.length < 2 || value[0] !== OPEN_BRACE || !isUtf8(value)) return undefined;
  const s = new Scanner(value);
  let plan: { at: number; text: string } | undefined;
  try {
    s.pos = 1;
    let members = 0;
    let metadataEnd = -1;
    const keys: number[] = [];
    if (value[s.pos] !== CLOSE_BRACE) {
      for (;;) {
        const keyStart = s.pos;
        s.string();
        s.expect(COLON);
        s.unique(keys, keyStart);
        if (s.keyIs(keyStart, METADATA)) {
          if (value[s.pos] !== OPEN_BRACE) return undefined;
          metadataEnd = s.metadataObject();
        } else {
          s.value();
        }
        members++;
        if (value[s.pos] === COMMA) {
          s.pos++;
          continue;
        }
        break;
      }
    }
    s.expect(CLOSE_BRACE);
    if (s.pos !== value.length) return undefined;
    const field = `"resourceVersion":${JSON.stringify(rv)}`;
    if (metadataEnd >= 0) {
      const empty = value[metadataEnd - 1] === OPEN_BRACE;
      plan = { at: metadataEnd, text: empty ? field : `,${field}` };
    } else {
      // No metadata: withResourceVersion adds it as the last member.
      plan = {
        at: value.length - 1,
        text: `${members > 0 ? ',' : ''}"metadata":{${field}}`,
      };
    }
  } catch (err) {
    if (err === NOT_CANONICAL) return undefined;
    throw err;
  }
  const insert = Buffer.from(plan.text, 'utf8');
  return Buffer.concat(
    [value.subarray(0, plan.at), insert, value.subarray(plan.at)],
    value.length + insert.length,
  );
}

class Scanner {
  pos = 0;
  constructor(private readonly b: Buffer) {}

  expect(c: number): void {
    if (this.b[this.pos] !== c) throw NOT_CANONICAL;
    this.pos++;
  }

  /**
   * Refuses a key seen before in the same object (JSON.parse would keep only the last).
   * `keys` holds [start, end) of the object's earlier key tokens; objects are small.
   */
  unique(keys: number[], start: number): void {
    const end = this.pos - 1; // the key token is [start, end), quotes included
    const len = end - start;
    for (let i = 0; i < keys.length; i += 2) {
      const os = keys[i]!;
      const oe = keys[i + 1]!;
      if (oe - os === len && this.b.compare(this.b, os, oe, start, end) === 0) throw NOT_CANONICAL;
    }
    keys.push(start, end);
  }

  /** Whether the string token starting at `start` (quotes included) is exactly `key`. */
  keyIs(start: number, key: Buffer): boolean {
    const len = this.pos - 1 - start - 2; // minus the colon and both quotes
    return len === key.length && this.b.compare(key, 0, len, start + 1, start + 1 + len) === 0;
  }

  value(): void {
    const c = this.b[this.pos];
    if (c === QUOTE) return this.string();
    if (c === OPEN_BRACE) return this.object();
    if (c === OPEN_BRACKET) return this.array();
    if (c === MINUS || (c !== undefined && c >= ZERO && c <= NINE)) return this.integer();
    return this.literal();
  }

  /** metadata's object; refuses one that already has a resourceVersion. Returns its `}` index. */
  metadataObject(): number {
    this.expect(OPEN_BRACE);
    const keys: number[] = [];
    if (this.b[this.pos] !== CLOSE_BRACE) {
      for (;;) {
        const keyStart = this.pos;
        this.string();
        this.expect(COLON);
        this.unique(keys, keyStart);
        if (this.keyIs(keyStart, RESOURCE_VERSION)) throw NOT_CANONICAL;
        this.value();
        if (this.b[this.pos] !== COMMA) break;
        this.pos++;
      }
    }
    const end = this.pos;
    this.expect(CLOSE_BRACE);
    return end;
  }

  object(): void {
    this.expect(OPEN_BRACE);
    if (this.b[this.pos] === CLOSE_BRACE) {
      this.pos++;
      return;
    }
    const keys: number[] = [];
    for (;;) {
      const keyStart = this.pos;
      this.string();
      this.expect(COLON);
      this.unique(keys, keyStart);
      this.value();
      if (this.b[this.pos] !== COMMA) break;
      this.pos++;
    }
    this.expect(CLOSE_BRACE);
  }

  array(): void {
    this.expect(OPEN_BRACKET);
    if (this.b[this.pos] === CLOSE_BRACKET) {
      this.pos++;
      return;
    }
    for (;;) {
      this.value();
      if (this.b[this.pos] !== COMMA) break;
      this.pos++;
    }
    this.expect(CLOSE_BRACKET);
  }

  string(): void {
    const b = this.b;
    this.expect(QUOTE);
    for (let i = this.pos; i < b.length; i++) {
      const c = b[i]!;
      if (c === QUOTE) {
        this.pos = i + 1;
        return;
      }
      if (c < 0x20) throw NOT_CANONICAL; // raw control characters are not JSON
      if (c === BACKSLASH) {
        if (!SIMPLE_ESCAPES.has(b[i + 1]!)) throw NOT_CANONICAL;
        i++;
      }
    }
    throw NOT_CANONICAL;
  }

  /** Integers as JSON.stringify writes them: no "-0", no leading zeros, no fraction/exponent. */
  integer(): void {
    const b = this.b;
    let i = this.pos;
    if (b[i] === MINUS) i++;
    const start = i;
    while (i < b.length && b[i]! >= ZERO && b[i]! <= NINE) i++;
    const digits = i - start;
    if (digits === 0 || digits > MAX_INTEGER_DIGITS) throw NOT_CANONICAL;
    if (b[start] === ZERO && (digits > 1 || start > this.pos)) throw NOT_CANONICAL;
    this.pos = i;
  }

  literal(): void {
    for (const word of LITERALS) {
      const end = this.pos + word.length;
      if (end <= this.b.length && this.b.compare(word, 0, word.length, this.pos, end) === 0) {
        this.pos += word.length;
        return;
      }
    }
    throw NOT_CANONICAL;
  }
}

const LITERALS = [Buffer.from('true'), Buffer.from('false'), Buffer.from('null')];
