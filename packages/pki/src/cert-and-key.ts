/** A PEM certificate with its PEM (PKCS#8) private key; a CA is the same shape. */
export interface CertAndKey {
  certPem: string;
  keyPem: string;
}
