// A small HTTPS client for tests: real TLS, optional client certificate.
import { request as httpsRequest } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';

export interface ClientIdentity {
  ca: string;
  cert?: string;
  key?: string;
}

export interface TestResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text: string;
  json<T = Record<string, unknown>>(): T;
}

export interface RequestOptions {
  body?: string | Buffer;
  headers?: Record<string, string | string[]>;
}

export function httpsCall(
  port: number,
  id: ClientIdentity,
  method: string,
  path: string,
  opts: RequestOptions = {},
): Promise<TestResponse> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        ca: id.ca,
        cert: id.cert,
        key: id.key,
        // Node sends DELETE bodies without framing unless Content-Length is set.
        headers:
          opts.body === undefined
            ? opts.headers
            : { 'content-length': String(Buffer.byteLength(opts.body)), ...opts.headers },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          const text = body.toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body,
            text,
            json: () => JSON.parse(text),
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (opts.body !== undefined) req.end(opts.body);
    else req.end();
  });
}
