// --token-auth-file: kube's static token CSV, `token,user,uid[,"group1,group2"]` a line.
import { readFile } from 'node:fs/promises';
import type { AuthResult, TokenAuthenticator } from './types.js';
import { freezeUser, makeUser } from './user.js';

export class TokenFileError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TokenFileError';
  }
}

export class TokenFileAuthenticator implements TokenAuthenticator {
  readonly name = 'token-file';
  constructor(private readonly tokens: ReadonlyMap<string, AuthResult>) {}

  static async fromFile(path: string): Promise<TokenFileAuthenticator> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      throw new TokenFileError(`reading token file '${path}': ${(err as Error).message}`, {
        cause: err,
      });
    }
    return new TokenFileAuthenticator(parseTokenFile(text, path));
  }

  async authenticateToken(token: string): Promise<AuthResult | null> {
    return this.tokens.get(token) ?? null;
  }
}

export function parseTokenFile(text: string, path = 'token file'): Map<string, AuthResult> {
  const out = new Map<string, AuthResult>();
  for (const record of parseCsv(text)) {
    if (record.length < 3) {
      throw new TokenFileError(
        `token file '${path}' must have at least 3 columns (token, user name, user uid), found ${record.length}`,
      );
    }
    const [token, name, uid, groupField] = record as [string, string, string, string?];
    if (!token) continue;
    const groups = (groupField ?? '')
      .split(',')
      .map((g) => g.trim())
      .filter(Boolean);
    // The last line wins for a duplicated token, as in kube (which warns).
    out.set(token, Object.freeze({ user: freezeUser(makeUser(name, uid, groups)) }));
  }
  return out;
}

/** RFC 4180 CSV as Go's encoding/csv reads it (TrimLeadingSpace, blank lines skipped). */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const record: string[] = [];
    let blank = true;
    for (;;) {
      while (i < n && (text[i] === ' ' || text[i] === '\t')) i++;
      let field = '';
      if (text[i] === '"') {
        i++;
        for (;;) {
          if (i >= n) throw new TokenFileError('extraneous or missing " in quoted-field');
          if (text[i] === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          field += text[i++];
        }
        while (i < n && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') field += text[i++];
      } else {
        while (i < n && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') field += text[i++];
      }
      if (field !== '' || record.length > 0 || text[i] === ',') blank = false;
      record.push(field);
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === '\r') i++;
      if (text[i] === '\n') i++;
      break;
    }
    if (!blank) records.push(record);
  }
  return records;
}
