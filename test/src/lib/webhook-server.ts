// A real HTTPS admission webhook server for the e2e suites and the admission benchmark:
// listens on a free port with a certificate from a CA it generates (valid for 127.0.0.1,
// localhost and any service names given, e.g. `<svc>.<ns>.svc`), records every
// AdmissionReview it receives and answers each path with a test-supplied handler.
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { createCA, issueServerCert } from '@splitplane/pki';

/** The `request` of an AdmissionReview v1, the fields the suites read. */
export interface AdmissionRequest {
  uid: string;
  kind: { group: string; version: string; kind: string };
  resource: { group: string; version: string; resource: string };
  subResource?: string;
  requestKind?: { group: string; version: string; kind: string };
  requestResource?: { group: string; version: string; resource: string };
  name?: string;
  namespace?: string;
  operation: string;
  userInfo: { username?: string; groups?: string[] };
  object?: any;
  oldObject?: any;
  dryRun?: boolean;
  options?: any;
}

export interface ReceivedReview {
  path: string;
  /** The `timeout` query parameter kube adds (e.g. "10s"). */
  timeout: string | null;
  request: AdmissionRequest;
}

/** The AdmissionReview response fields (uid is filled in). */
export interface ReviewResponse {
  allowed: boolean;
  status?: { code?: number; reason?: string; message?: string };
  warnings?: string[];
  patchType?: 'JSONPatch';
  patch?: string;
  auditAnnotations?: Record<string, string>;
}

/** A response, or 'hang' to never answer (the connection stays open until close()). */
export type ReviewHandler = (r: ReceivedReview) => ReviewResponse | 'hang';

export interface WebhookServer {
  port: number;
  /** base64 of the CA's PEM, for clientConfig.caBundle. */
  caBundle: string;
  /** https://127.0.0.1:<port><path> */
  url(path: string): string;
  received: ReceivedReview[];
  /** What `path` received, optionally only for objects (or old objects) named `name`. */
  receivedOn(path: string, name?: string): ReceivedReview[];
  handle(path: string, handler: ReviewHandler): void;
  close(): Promise<void>;
}

export interface WebhookServerOptions {
  /** Extra DNS SANs (service names such as `hooks.webhook-system.svc`). */
  dnsNames?: string[];
  /** Listen address (default 127.0.0.1). */
  host?: string;
}

/** An AdmissionReview response carrying an RFC 6902 JSON patch. */
export function patchResponse(ops: unknown[], extra: Partial<ReviewResponse> = {}): ReviewResponse {
  return {
    allowed: true,
    patchType: 'JSONPatch',
    patch: Buffer.from(JSON.stringify(ops)).toString('base64'),
    ...extra,
  };
}

export async function startWebhookServer(
  options: WebhookServerOptions = {},
): Promise<WebhookServer> {
  const ca = await createCA('e2e-webhook-ca');
  const cert = await issueServerCert(ca, {
    commonName: 'e2e-webhook',
    dnsNames: options.dnsNames ?? [],
  });
  const handlers = new Map<string, ReviewHandler>();
  const received: ReceivedReview[] = [];
  const server = https.createServer({ cert: cert.certPem, key: cert.keyPem }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'https://x');
      let review: { request: AdmissionRequest };
      try {
        review = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof review;
      } catch {
        res.writeHead(400, { 'content-type': 'text/plain' }).end('not JSON');
        return;
      }
      const r: ReceivedReview = {
        path: url.pathname,
        timeout: url.searchParams.get('timeout'),
        request: review.request,
      };
      received.push(r);
      const handler = handlers.get(r.path);
      if (!handler) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found');
        return;
      }
      const response = handler(r);
      if (response === 'hang') return;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          apiVersion: 'admission.k8s.io/v1',
          kind: 'AdmissionReview',
          response: { uid: review.request.uid, ...response },
        }),
      );
    });
  });
  // Keep-alive as kube's client would use; hung requests are cut at close().
  server.keepAliveTimeout = 30_000;
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const nameOf = (r: ReceivedReview) =>
    r.request.name || r.request.object?.metadata?.name || r.request.oldObject?.metadata?.name;
  return {
    port,
    caBundle: Buffer.from(ca.certPem).toString('base64'),
    url: (path) => `https://127.0.0.1:${port}${path}`,
    received,
    receivedOn: (path, name) =>
      received.filter((r) => r.path === path && (name === undefined || nameOf(r) === name)),
    handle: (path, handler) => void handlers.set(path, handler),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
