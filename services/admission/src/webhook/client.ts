// POSTs an AdmissionReview over HTTPS as kube's webhook client does: to clientConfig.url, or
// to https://<name>.<namespace>.svc:<port><path> dialled where the ServiceResolver says,
// trusting caBundle, with `?timeout=<n>s` and the call bounded by timeoutSeconds. Failures
// read as Go's net/http errors so the Status text matches kube's.
import { lookup as dnsLookup } from 'node:dns';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import type { ServiceResolver, WebhookClientConfig } from './types.js';

export class WebhookTransportError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'WebhookTransportError';
  }
}

export interface WebhookTarget {
  url: URL;
  /** Where to connect when it differs from the URL's host (a resolved service). */
  dial?: { host: string; port: number };
}

export function webhookTarget(
  config: WebhookClientConfig,
  timeoutSeconds: number,
  resolver: ServiceResolver | undefined,
): WebhookTarget {
  let target: WebhookTarget;
  if (config.service) {
    const { namespace, name, path, port = 443 } = config.service;
    const url = new URL(`https://${name}.${namespace}.svc:${port}${path ?? ''}`);
    target = { url };
    if (resolver) target.dial = resolver.resolve(namespace, name, port);
  } else if (config.url) {
    target = { url: new URL(config.url) };
  } else {
    throw new WebhookTransportError('webhook clientConfig has neither url nor service');
  }
  target.url.searchParams.set('timeout', `${timeoutSeconds}s`);
  return target;
}

/** Go prints `https://host:port/path?q`; Node's URL drops a scheme-default port, Go keeps it. */
function goUrl(target: WebhookTarget): string {
  const u = target.url;
  const port = u.port || '443';
  return `https://${u.hostname}:${port}${u.pathname}${u.search}`;
}

function describeFailure(err: NodeJS.ErrnoException, target: WebhookTarget): string {
  const host = target.dial?.host ?? target.url.hostname;
  const port = target.dial?.port ?? Number(target.url.port || 443);
  switch (err.code) {
    case 'ECONNREFUSED':
      return `dial tcp ${host}:${port}: connect: connection refused`;
    case 'ECONNRESET':
      return 'EOF';
    case 'ENOTFOUND':
      return `dial tcp: lookup ${target.url.hostname}: no such host`;
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
      return 'tls: failed to verify certificate: x509: certificate signed by unknown authority';
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `tls: failed to verify certificate: x509: ${hostnameMismatch(err, target.url.hostname)}`;
    default:
      return err.message;
  }
}

/** Go's x509.HostnameError text, from the SANs Node reports on the peer certificate. */
function hostnameMismatch(err: NodeJS.ErrnoException, host: string): string {
  const sans = String((err as { cert?: { subjectaltname?: string } }).cert?.subjectaltname ?? '');
  const wantIp = isIP(host) !== 0;
  const valid = sans
    .split(', ')
    .filter((entry) => entry.startsWith(wantIp ? 'IP Address:' : 'DNS:'))
    .map((entry) => entry.slice(entry.indexOf(':') + 1));
  if (valid.length === 0) {
    return wantIp
      ? `cannot validate certificate for ${host} because it doesn't contain any IP SANs`
      : `certificate is not valid for any names, but wanted to match ${host}`;
  }
  return `certificate is valid for ${valid.join(', ')}, not ${host}`;
}

export interface WebhookResponse {
  statusCode: number;
  contentType: string;
  body: string;
}

/** Sends `body`; rejects with a WebhookTransportError worded as kube's `Post "<url>": <why>`. */
export function postReview(
  target: WebhookTarget,
  caBundle: string | undefined,
  body: string,
  timeoutMs: number,
): Promise<WebhookResponse> {
  const prefix = `Post "${goUrl(target)}": `;
  return new Promise((resolve, reject) => {
    const lookup: LookupFunction | undefined = target.dial
      ? (_host, options, cb) => {
          const address = target.dial!.host;
          // An ExternalName service names a host, not an address: resolve that name.
          if (isIP(address) === 0) return dnsLookup(address, options, cb);
          const family = address.includes(':') ? 6 : 4;
          if (options.all) cb(null, [{ address, family }]);
          else cb(null, address, family);
        }
      : undefined;
    const ca = caBundle ? Buffer.from(caBundle, 'base64').toString('utf8') : undefined;
    const req = https.request(
      target.url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        ...(ca ? { ca } : {}),
        ...(target.dial ? { port: target.dial.port, lookup } : {}),
        ...(isIP(target.url.hostname) ? {} : { servername: target.url.hostname }),
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve({
            statusCode: res.statusCode ?? 0,
            contentType: String(res.headers['content-type'] ?? ''),
            body: Buffer.concat(chunks).toString('utf8'),
          });
        });
        res.on('error', fail);
      },
    );
    let settled = false;
    function fail(err: Error) {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(new WebhookTransportError(prefix + describeFailure(err, target), { cause: err }));
    }
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      req.destroy();
      reject(new WebhookTransportError(prefix + 'context deadline exceeded'));
    }, timeoutMs);
    req.on('error', fail);
    req.end(body);
  });
}
