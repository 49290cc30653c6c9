// Go encoding/json's syntax error text for a body that failed JSON.parse, so 400 messages
// read as kube's do ("invalid character 'k' looking for beginning of object key string").
// Only runs on the error path.

export function goJsonSyntaxError(text: string): string {
  const s = new Scanner(text);
  try {
    s.ws();
    s.value();
    s.ws();
    if (s.i < text.length) throw s.bad('after top-level value');
    return 'unexpected end of JSON input';
  } catch (err) {
    if (err instanceof SyntaxFound) return err.message;
    throw err;
  }
}

class SyntaxFound extends Error {}

class Scanner {
  i = 0;
  constructor(private readonly t: string) {}

  bad(context: string): SyntaxFound {
    if (this.i >= this.t.length) return new SyntaxFound('unexpected end of JSON input');
    return new SyntaxFound(`invalid character ${quoteChar(this.t[this.i]!)} ${context}`);
  }

  ws(): void {
    while (this.i < this.t.length && ' \t\r\n'.includes(this.t[this.i]!)) this.i++;
  }

  value(): void {
    const c = this.t[this.i];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return this.string();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
    for (const lit of ['true', 'false', 'null']) {
      if (c === lit[0]) {
        for (let k = 1; k < lit.length; k++) {
          this.i++;
          if (this.t[this.i] !== lit[k])
            throw this.bad(`in literal ${lit} (expecting ${quoteChar(lit[k]!)})`);
        }
        this.i++;
        return;
      }
    }
    throw this.bad('looking for beginning of value');
  }

  object(): void {
    this.i++;
    this.ws();
    if (this.t[this.i] === '}') {
      this.i++;
      return;
    }
    for (;;) {
      if (this.t[this.i] !== '"') throw this.bad('looking for beginning of object key string');
      this.string();
      this.ws();
      if (this.t[this.i] !== ':') throw this.bad('after object key');
      this.i++;
      this.ws();
      this.value();
      this.ws();
      if (this.t[this.i] === ',') {
        this.i++;
        this.ws();
        continue;
      }
      if (this.t[this.i] === '}') {
        this.i++;
        return;
      }
      throw this.bad('after object key:value pair');
    }
  }

  array(): void {
    this.i++;
    this.ws();
    if (this.t[this.i] === ']') {
      this.i++;
      return;
    }
    for (;;) {
      this.value();
      this.ws();
      if (this.t[this.i] === ',') {
        this.i++;
        this.ws();
        continue;
      }
      if (this.t[this.i] === ']') {
        this.i++;
        return;
      }
      throw this.bad('after array element');
    }
  }

  string(): void {
    this.i++;
    for (;;) {
      const c = this.t[this.i];
      if (c === undefined) throw this.bad('');
      if (c === '"') {
        this.i++;
        return;
      }
      if (c < ' ') throw this.bad('in string literal');
      if (c === '\\') {
        this.i++;
        const e = this.t[this.i];
        if (e === 'u') {
          for (let k = 0; k < 4; k++) {
            this.i++;
            if (!/[0-9a-fA-F]/.test(this.t[this.i] ?? ''))
              throw this.bad('in \\u hexadecimal character escape');
          }
        } else if (e === undefined || !'"\\/bfnrt'.includes(e))
          throw this.bad('in string escape code');
      }
      this.i++;
    }
  }

  number(): void {
    if (this.t[this.i] === '-') this.i++;
    const digits = () => {
      const start = this.i;
      while (/[0-9]/.test(this.t[this.i] ?? '')) this.i++;
      return this.i > start;
    };
    if (this.t[this.i] === '0') this.i++;
    else if (!digits()) throw this.bad('in numeric literal');
    if (this.t[this.i] === '.') {
      this.i++;
      if (!digits()) throw this.bad('after decimal point in numeric literal');
    }
    if (this.t[this.i] === 'e' || this.t[this.i] === 'E') {
      this.i++;
      if (this.t[this.i] === '+' || this.t[this.i] === '-') this.i++;
      if (!digits()) throw this.bad('in exponent of numeric literal');
    }
  }
}

/** Go's quoteChar: 'x', with ' and \ escaped as Go quotes them. */
function quoteChar(c: string): string {
  if (c === "'") return `'\\''`;
  if (c === '"') return `'"'`;
  const q = JSON.stringify(c);
  return `'${q.slice(1, -1)}'`;
}
