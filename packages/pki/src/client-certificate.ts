import type { CertAndKey } from './cert-and-key.js';
import { issueLeafCertificate } from './leaf-certificate.js';

export interface ClientCertOptions {
  /** The user name, as kube-apiserver's x509 authenticator reads it from the subject CN. */
  commonName: string;
  /** The user's groups, read from the subject O attributes. */
  organizations?: readonly string[];
}

/** Issues a client certificate (clientAuth EKU) for x509 client-certificate authentication. */
export async function issueClientCert(
  ca: CertAndKey,
  opts: ClientCertOptions,
): Promise<CertAndKey> {
  return issueLeafCertificate(ca, {
    commonName: opts.commonName,
    organizations: opts.organizations ?? [],
    usages: ['clientAuth'],
  });
}
