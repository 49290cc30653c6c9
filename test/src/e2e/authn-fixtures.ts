// Fixtures for the authentication e2e suite: a local OIDC issuer (HTTPS discovery + JWKS,
// tokens signed with jose), a front-proxy CA with client certificates, a static token file,
// a token-only kubeconfig, and raw HTTPS calls with any client certificate.
import { createServer, request as httpsRequest, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SignJWT, exportJWK, generateKeyPair, type JWTPayload } from 'jose';
import { createCA, issueClientCert, issueServerCert, type CertAndKey } from '@splitplane/pki';

export interface OidcIssuer {
  url: string;
  caFile: string;
  sign(claims: JWTPayload, opts?: { expiresInSeconds?: number }): Promise<string>;
  close(): Promise<void>;
}

export async function startOidcIssuer(dir: string): Promise<OidcIssuer> {
  const ca = await createCA('oidc-test-ca');
  const serving = await issueServerCert(ca, { commonName: '127.0.0.1' });
  const caFile = join(dir, 'oidc-ca.crt');
  await writeFile(caFile, ca.certPem);
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  let url = '';
  const server: Server = createServer(
    { cert: serving.certPem, key: serving.keyPem },
    (req, res) => {
      const body =
        req.url === '/.well-known/openid-configuration'
          ? {
              issuer: url,
              jwks_uri: `${url}/keys`,
              id_token_signing_alg_values_supported: ['RS256'],
            }
          : req.url === '/keys'
            ? { keys: [jwk] }
            : undefined;
      res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body ?? {}));
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    caFile,
    async sign(claims, opts = {}) {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
        .setIssuer(url)
        .setIssuedAt(now)
        .setExpirationTime(now + (opts.expiresInSeconds ?? 3600))
        .sign(privateKey);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export interface FrontProxy {
  caFile: string;
  proxy: CertAndKey;
  wrongName: CertAndKey;
}

export const FRONT_PROXY_CN = 'front-proxy-client';

export async function frontProxyPki(dir: string): Promise<FrontProxy> {
  const ca = await createCA('front-proxy-ca');
  const caFile = join(dir, 'front-proxy-ca.crt');
  await writeFile(caFile, ca.certPem);
  const [proxy, wrongName] = await Promise.all([
    issueClientCert(ca, { commonName: FRONT_PROXY_CN }),
    issueClientCert(ca, { commonName: 'not-the-proxy' }),
  ]);
  return { caFile, proxy, wrongName };
}

/** A kubeconfig with the cluster only: kubectl --token supplies the credential. */
export async function tokenKubeconfig(dir: string, server: string, caPem: Buffer): Promise<string> {
  const path = join(dir, 'token-kubeconfig');
  const ca = caPem.toString('base64');
  await writeFile(
    path,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      `- name: plane`,
      `  cluster: {server: "${server}", certificate-authority-data: "${ca}"}`,
      'users:',
      '- name: nobody',
      '  user: {}',
      'contexts:',
      '- name: token',
      '  context: {cluster: plane, user: nobody}',
      'current-context: token',
      '',
    ].join('\n'),
  );
  return path;
}

export interface RawResult {
  status: number;
  body: string;
  json<T = any>(): T;
}

/** One HTTPS call with an optional client certificate and any headers (repeated ones as arrays). */
export function rawCall(
  url: string,
  ca: Buffer,
  method: string,
  opts: { cert?: CertAndKey; headers?: Record<string, string | string[]>; body?: string } = {},
): Promise<RawResult> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      url,
      {
        method,
        ca,
        ...(opts.cert ? { cert: opts.cert.certPem, key: opts.cert.keyPem } : {}),
        headers: {
          ...(opts.body ? { 'content-type': 'application/json' } : {}),
          ...opts.headers,
        },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, body, json: () => JSON.parse(body) });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (opts.body) req.write(opts.body);
    req.end();
  });
}

export const UNAUTHORIZED_BODY =
  '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}';

export const SELF_SUBJECT_REVIEW = JSON.stringify({
  apiVersion: 'authentication.k8s.io/v1',
  kind: 'SelfSubjectReview',
});
