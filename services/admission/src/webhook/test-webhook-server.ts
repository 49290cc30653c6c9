// A real HTTPS admission webhook for tests: serves on 127.0.0.1 with a certificate from a
// fresh CA (also valid for a service name), answering each path with a test-supplied handler.
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { createCA, issueServerCert } from '@splitplane/pki';

export interface ReceivedReview {
  path: string;
  review: { request: Record<string, unknown> & { uid: string } };
}

/**
 * Returns the `response` (uid filled in), a whole body to send as is, a plain-text HTTP error,
 * or 'hang' to never answer.
 */
export type ReviewHandler = (
  r: ReceivedReview,
) => Record<string, unknown> | { rawBody: unknown } | { httpStatus: number; text: string } | 'hang';

export interface TestWebhookServer {
  port: number;
  caBundle: string;
  url(path: string): string;
  received: ReceivedReview[];
  handle(path: string, handler: ReviewHandler): void;
  close(): Promise<void>;
}

export async function startWebhookServer(dnsNames: string[] = []): Promise<TestWebhookServer> {
  const ca = await createCA('webhook-test-ca');
  const cert = await issueServerCert(ca, { commonName: 'webhook', dnsNames });
  const handlers = new Map<string, ReviewHandler>();
  const received: ReceivedReview[] = [];
  const server = https.createServer({ cert: cert.certPem, key: cert.keyPem }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'https://x').pathname;
      const review = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ReceivedReview['review'];
      const r = { path, review };
      received.push(r);
      const handler = handlers.get(path);
      if (!handler) {
        res.writeHead(404).end('404 page not found');
        return;
      }
      const response = handler(r);
      if (response === 'hang') return;
      if ('httpStatus' in response && typeof response.httpStatus === 'number') {
        res.writeHead(response.httpStatus, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(response.text);
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      if ('rawBody' in response) {
        res.end(JSON.stringify(response.rawBody));
        return;
      }
      res.end(
        JSON.stringify({
          apiVersion: 'admission.k8s.io/v1',
          kind: 'AdmissionReview',
          response: { uid: review.request.uid, ...response },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    caBundle: Buffer.from(ca.certPem).toString('base64'),
    url: (path) => `https://127.0.0.1:${port}${path}`,
    received,
    handle: (path, handler) => handlers.set(path, handler),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
