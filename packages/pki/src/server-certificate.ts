import type { CertAndKey } from './cert-and-key.js';
import { issueLeafCertificate } from './leaf-certificate.js';

export interface ServerCertOptions {
  commonName: string;
  dnsNames?: readonly string[];
  ipAddresses?: readonly string[];
  /** Also allow the certificate to authenticate as a client (for mutual TLS between services). */
  clientAuth?: boolean;
}

/** Names every local server certificate carries, so loopback clients always verify. */
export const LOOPBACK_DNS_NAMES: readonly string[] = ['localhost'];
export const LOOPBACK_IP_ADDRESSES: readonly string[] = ['127.0.0.1', '::1'];

/** Issues a serving certificate (serverAuth EKU) with loopback names added to the given SANs. */
export async function issueServerCert(
  ca: CertAndKey,
  opts: ServerCertOptions,
): Promise<CertAndKey> {
  return issueLeafCertificate(ca, {
    commonName: opts.commonName,
    dnsNames: unique([...LOOPBACK_DNS_NAMES, ...(opts.dnsNames ?? [])]),
    ipAddresses: unique([...LOOPBACK_IP_ADDRESSES, ...(opts.ipAddresses ?? [])]),
    usages: opts.clientAuth ? ['serverAuth', 'clientAuth'] : ['serverAuth'],
  });
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
