export type { CertAndKey } from './cert-and-key.js';
export { createCA } from './certificate-authority.js';
export {
  issueServerCert,
  LOOPBACK_DNS_NAMES,
  LOOPBACK_IP_ADDRESSES,
  type ServerCertOptions,
} from './server-certificate.js';
export { issueClientCert, type ClientCertOptions } from './client-certificate.js';
export {
  ensureDevPki,
  INTERNAL_SERVICES,
  internalServiceDnsNames,
  type InternalService,
  ADMIN_USER,
  ADMIN_GROUP,
  type DevPki,
  type DevPkiOptions,
  type CertKeyPaths,
} from './dev-pki.js';
export { writeKubeconfig, renderKubeconfig, type KubeconfigOptions } from './kubeconfig.js';
export { PkiError, UnsupportedKeyError, InvalidPkiFileError } from './errors.js';
