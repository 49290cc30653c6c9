// HTTPS calls to the gateways with the admin client certificate, on keep-alive agents.
import { readFile } from 'node:fs/promises';
import { Agent, request } from 'node:https';
import { join } from 'node:path';

export interface Credentials {
  ca: Buffer;
  cert: Buffer;
  key: Buffer;
}

export async function readCredentials(dataDir: string): Promise<Credentials> {
  const [ca, cert, key] = await Promise.all(
    ['ca.crt', 'admin.crt', 'admin.key'].map((f) => readFile(join(dataDir, 'pki', f))),
  );
  return { ca: ca!, cert: cert!, key: key! };
}

/**
 * A keep-alive agent. `idleTimeoutMs` closes sockets idle that long: keep it under the
 * server's keep-alive timeout (Node's default 5 s), or a write may go out on a socket the
 * server is closing (ECONNRESET). Never set it on agents that carry watches.
 */
export function newAgent(
  credentials: Credentials,
  maxSockets: number,
  idleTimeoutMs?: number,
): Agent {
  return new Agent({
    keepAlive: true,
    maxSockets,
    maxFreeSockets: maxSockets,
    ...(idleTimeoutMs ? { timeout: idleTimeoutMs } : {}),
    ...credentials,
  });
}

export class HttpError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`${method} ${path}: HTTP ${status}: ${body.slice(0, 300)}`);
    this.name = 'HttpError';
  }
}

export interface CallOptions {
  body?: string;
  contentType?: string;
}

/** One request; resolves with the body once it has fully arrived, rejects on a status >= 300. */
export function call(
  agent: Agent,
  base: string,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (options.body !== undefined) {
      headers['Content-Type'] = options.contentType ?? 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(options.body));
    }
    const req = request(`${base}${path}`, { method, agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        if (res.statusCode! < 300) resolve(body);
        else reject(new HttpError(method, path, res.statusCode!, body.toString('utf8')));
      });
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

export async function callJson<T = Record<string, any>>(
  agent: Agent,
  base: string,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<T> {
  return JSON.parse((await call(agent, base, method, path, options)).toString('utf8')) as T;
}

/** The first metadata.resourceVersion in a JSON object's text, without parsing all of it. */
export function resourceVersionOf(text: string): string | undefined {
  const at = text.indexOf('"resourceVersion":"');
  if (at < 0) return undefined;
  const start = at + '"resourceVersion":"'.length;
  return text.slice(start, text.indexOf('"', start));
}

/** Runs `op(i)` for i in [0, total) with `inFlight` at a time; rejects with the first error. */
export async function pool(total: number, inFlight: number, op: (i: number) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < total) await op(next++);
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, total) }, worker));
}

export interface Drained {
  /** Body length in bytes. */
  bytes: number;
  /** The body's first bytes (at least `headBytes` unless the body is shorter). */
  head: Buffer;
}

/**
 * One request whose body is read and dropped: only its length and first `headBytes` are
 * kept, so timing a 15 MiB LIST does not include the client concatenating or parsing it.
 */
export function callDrain(
  agent: Agent,
  base: string,
  path: string,
  headBytes = 4096,
): Promise<Drained> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${base}${path}`,
      { method: 'GET', agent, headers: { Accept: 'application/json' } },
      (res) => {
        let bytes = 0;
        const head: Buffer[] = [];
        let headLen = 0;
        res.on('data', (c: Buffer) => {
          bytes += c.length;
          if (headLen < headBytes) {
            head.push(c);
            headLen += c.length;
          }
        });
        res.on('error', reject);
        res.on('end', () => {
          const first = Buffer.concat(head);
          if (res.statusCode! < 300) resolve({ bytes, head: first });
          else reject(new HttpError('GET', path, res.statusCode!, first.toString('utf8')));
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** A JSON list's `metadata`, read from the head of its body (it precedes the items). */
export function listMetaOf(head: Buffer): { resourceVersion?: string; continue?: string } {
  const text = head.toString('utf8');
  const at = text.indexOf('"metadata":');
  const end = text.indexOf(',"items":', at);
  if (at < 0 || end < 0) throw new Error(`no list metadata in ${text.slice(0, 200)}`);
  return JSON.parse(text.slice(at + '"metadata":'.length, end)) as {
    resourceVersion?: string;
    continue?: string;
  };
}
