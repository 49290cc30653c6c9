import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { chmod, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { CertAndKey } from './cert-and-key.js';
import { createCA } from './certificate-authority.js';
import { issueClientCert } from './client-certificate.js';
import { withDirLock } from './dir-lock.js';
import { InvalidPkiFileError } from './errors.js';
import { generateKeyPair, privateKeyToPem, publicKeyToPem, rsa2048 } from './keys.js';
import { readIfExists, writePemFile } from './pem-files.js';
import {
  LOOPBACK_DNS_NAMES,
  LOOPBACK_IP_ADDRESSES,
  issueServerCert,
} from './server-certificate.js';

export interface CertKeyPaths {
  cert: string;
  key: string;
}

/** Paths of everything ensureDevPki keeps under its directory. */
export interface DevPki {
  dir: string;
  /** Client CA and serving CA for the public front door (`--client-ca-file`). */
  ca: CertKeyPaths;
  /** Serving certificate of the gateway (`--tls-cert-file`, `--tls-private-key-file`). */
  apiserver: CertKeyPaths;
  /** CN=kubernetes-admin, O=system:masters client certificate. */
  admin: CertKeyPaths;
  /** CA for the cluster-internal gRPC services, separate so a client cert can never cross over. */
  internalCa: CertKeyPaths;
  /** One certificate with serverAuth and clientAuth, shared by internal services for mutual TLS. */
  internal: CertKeyPaths;
  /**
   * One certificate per internal service (serverAuth + clientAuth, internal CA), CN = the
   * service's name: the callee reads the caller's identity from it (only `gateway` may assert
   * a user).
   */
  services: Record<InternalService, CertKeyPaths>;
  /** nats-server's serving certificate (internal CA). */
  nats: CertKeyPaths;
  /** CN=launcher: the launcher's own gRPC health probes. */
  launcher: CertKeyPaths;
  /** RSA key pair for signing and verifying ServiceAccount tokens. */
  serviceAccount: { privateKey: string; publicKey: string };
}

export interface DevPkiOptions {
  /** Extra SANs for the gateway's serving certificate; loopback names are always included. */
  apiserverDnsNames?: readonly string[];
  apiserverIpAddresses?: readonly string[];
  /** Extra SANs for the internal services' certificate. */
  internalDnsNames?: readonly string[];
  internalIpAddresses?: readonly string[];
}

/** The in-cluster names clients use for the API server, as kube-apiserver's certificate carries them. */
const KUBERNETES_SERVICE_NAMES = [
  'kubernetes',
  'kubernetes.default',
  'kubernetes.default.svc',
  'kubernetes.default.svc.cluster.local',
];

/** The plane's gRPC services; each is the CN of its internal certificate. */
export const INTERNAL_SERVICES = [
  'gateway',
  'authz',
  'registry',
  'admission',
  'watch-cache',
] as const;
export type InternalService = (typeof INTERNAL_SERVICES)[number];

/**
 * The Service names a chart gives a component (`<name>`, `splitplane-<name>`); fully
 * qualified names of a given namespace come through DevPkiOptions.internalDnsNames.
 */
export function internalServiceDnsNames(name: string): string[] {
  return [name, `splitplane-${name}`];
}

export const ADMIN_USER = 'kubernetes-admin';
export const ADMIN_GROUP = 'system:masters';

/** A leaf expiring within this margin is reissued rather than reused. */
const RENEW_MARGIN_MS = 24 * 60 * 60 * 1000;

/**
 * Creates the development PKI under `dir`, or reuses what is already there. Existing files
 * are kept when they are still valid, match their key, chain to the current CA and cover the
 * requested names; anything else is reissued. A corrupt CA is an error rather than silently
 * replaced, since replacing it would invalidate every kubeconfig issued from it.
 */
export async function ensureDevPki(dir: string, opts: DevPkiOptions = {}): Promise<DevPki> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const pair = (name: string): CertKeyPaths => ({
    cert: join(dir, `${name}.crt`),
    key: join(dir, `${name}.key`),
  });
  const pki: DevPki = {
    dir,
    ca: pair('ca'),
    apiserver: pair('apiserver'),
    admin: pair('admin'),
    internalCa: pair('internal-ca'),
    internal: pair('internal'),
    services: Object.fromEntries(INTERNAL_SERVICES.map((s) => [s, pair(s)])) as Record<
      InternalService,
      CertKeyPaths
    >,
    nats: pair('nats'),
    launcher: pair('launcher'),
    serviceAccount: {
      privateKey: join(dir, 'service-account.key'),
      publicKey: join(dir, 'service-account.pub'),
    },
  };

  await withDirLock(dir, async () => {
    const ca = await ensureCA(pki.ca, 'splitplane-ca');
    const apiserverDns = [
      ...LOOPBACK_DNS_NAMES,
      ...KUBERNETES_SERVICE_NAMES,
      ...(opts.apiserverDnsNames ?? []),
    ];
    const apiserverIps = [...LOOPBACK_IP_ADDRESSES, ...(opts.apiserverIpAddresses ?? [])];
    await ensureLeaf(pki.apiserver, ca, { dnsNames: apiserverDns, ipAddresses: apiserverIps }, () =>
      issueServerCert(ca, {
        commonName: 'splitplane-apiserver',
        dnsNames: apiserverDns,
        ipAddresses: apiserverIps,
      }),
    );
    await ensureLeaf(pki.admin, ca, {}, () =>
      issueClientCert(ca, { commonName: ADMIN_USER, organizations: [ADMIN_GROUP] }),
    );

    const internalCa = await ensureCA(pki.internalCa, 'splitplane-internal-ca');
    const internalDns = [...LOOPBACK_DNS_NAMES, ...(opts.internalDnsNames ?? [])];
    const internalIps = [...LOOPBACK_IP_ADDRESSES, ...(opts.internalIpAddresses ?? [])];
    await ensureLeaf(
      pki.internal,
      internalCa,
      { dnsNames: internalDns, ipAddresses: internalIps },
      () =>
        issueServerCert(internalCa, {
          commonName: 'splitplane-internal',
          dnsNames: internalDns,
          ipAddresses: internalIps,
          clientAuth: true,
        }),
    );
    for (const name of [...INTERNAL_SERVICES, 'nats', 'launcher']) {
      const paths =
        name === 'nats'
          ? pki.nats
          : name === 'launcher'
            ? pki.launcher
            : pki.services[name as InternalService];
      const dnsNames = [...internalDns, ...internalServiceDnsNames(name)];
      await ensureLeaf(
        paths,
        internalCa,
        { commonName: name, dnsNames, ipAddresses: internalIps },
        () =>
          issueServerCert(internalCa, {
            commonName: name,
            dnsNames,
            ipAddresses: internalIps,
            clientAuth: true,
          }),
      );
    }

    await ensureServiceAccountKeys(pki.serviceAccount);
  });
  return pki;
}

async function readPair(paths: CertKeyPaths): Promise<CertAndKey | undefined> {
  const [certPem, keyPem] = await Promise.all([readIfExists(paths.cert), readIfExists(paths.key)]);
  return certPem !== undefined && keyPem !== undefined ? { certPem, keyPem } : undefined;
}

async function writePair(paths: CertKeyPaths, pair: CertAndKey): Promise<void> {
  // Key first: a reader that finds the new certificate will find its key too.
  await writePemFile(paths.key, pair.keyPem, true);
  await writePemFile(paths.cert, pair.certPem, false);
}

function parse(path: string, pair: CertAndKey): X509Certificate {
  try {
    const cert = new X509Certificate(pair.certPem);
    if (!cert.checkPrivateKey(createPrivateKey(pair.keyPem))) {
      throw new Error('private key does not match certificate');
    }
    return cert;
  } catch (err) {
    throw new InvalidPkiFileError(path, 'unusable certificate/key pair', { cause: err });
  }
}

function expiresSoon(cert: X509Certificate): boolean {
  return new Date(cert.validTo).getTime() - Date.now() < RENEW_MARGIN_MS;
}

async function ensureCA(paths: CertKeyPaths, commonName: string): Promise<CertAndKey> {
  const existing = await readPair(paths);
  if (existing) {
    const cert = parse(paths.cert, existing);
    if (!cert.ca) throw new InvalidPkiFileError(paths.cert, 'is not a CA certificate');
    if (!expiresSoon(cert)) {
      await chmod(paths.key, 0o600);
      return existing;
    }
  }
  const ca = await createCA(commonName);
  await writePair(paths, ca);
  return ca;
}

async function ensureLeaf(
  paths: CertKeyPaths,
  ca: CertAndKey,
  wanted: LeafWanted,
  issue: () => Promise<CertAndKey>,
): Promise<void> {
  const existing = await readPair(paths);
  if (existing && leafStillGood(existing, ca, wanted)) {
    // Keys copied around by hand tend to lose their mode; put it back.
    await chmod(paths.key, 0o600);
    return;
  }
  await writePair(paths, await issue());
}

interface LeafWanted {
  /** The subject CN it must carry (internal service certificates name their service). */
  commonName?: string;
  dnsNames?: readonly string[];
  ipAddresses?: readonly string[];
}

function leafStillGood(pair: CertAndKey, ca: CertAndKey, wanted: LeafWanted): boolean {
  try {
    const cert = new X509Certificate(pair.certPem);
    const caCert = new X509Certificate(ca.certPem);
    if (!cert.checkPrivateKey(createPrivateKey(pair.keyPem))) return false;
    if (!cert.checkIssued(caCert) || !cert.verify(caCert.publicKey)) return false;
    if (expiresSoon(cert)) return false;
    if (
      wanted.commonName !== undefined &&
      !cert.subject.split('\n').includes(`CN=${wanted.commonName}`)
    )
      return false;
    // checkHost/checkIP only consult SANs for these, which is what TLS clients do as well.
    if (!(wanted.dnsNames ?? []).every((n) => cert.checkHost(n) !== undefined)) return false;
    if (!(wanted.ipAddresses ?? []).every((ip) => cert.checkIP(ip) !== undefined)) return false;
    return true;
  } catch {
    // An unreadable leaf is simply reissued; only the CA is precious.
    return false;
  }
}

async function ensureServiceAccountKeys(paths: {
  privateKey: string;
  publicKey: string;
}): Promise<void> {
  const privatePem = await readIfExists(paths.privateKey);
  if (privatePem !== undefined) {
    let publicPem: string;
    try {
      publicPem = createPublicKey(createPrivateKey(privatePem))
        .export({ format: 'pem', type: 'spki' })
        .toString();
    } catch (err) {
      throw new InvalidPkiFileError(paths.privateKey, 'unreadable private key', { cause: err });
    }
    if ((await readIfExists(paths.publicKey)) !== publicPem)
      await writePemFile(paths.publicKey, publicPem, false);
    await chmod(paths.privateKey, 0o600);
    return;
  }
  const keys = await generateKeyPair(rsa2048);
  await writePemFile(paths.privateKey, await privateKeyToPem(keys.privateKey), true);
  await writePemFile(paths.publicKey, await publicKeyToPem(keys.publicKey), false);
}
