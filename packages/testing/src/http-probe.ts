import { get } from 'node:http';

export interface HttpProbeResult {
  status: number;
  body: string;
}

/**
 * One HTTP GET with a short timeout, for readiness checks. node:http rather than fetch:
 * fetch keeps pooled sockets alive, which would hold the event loop of a finished test.
 */
export function httpGet(url: string, timeoutMs = 2_000): Promise<HttpProbeResult> {
  return new Promise((resolve, reject) => {
    const req = get(url, { agent: false, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}
