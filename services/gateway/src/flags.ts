// kube-apiserver's flag names where the concept is the same.
import { GRPC_TLS_FLAGS, NATS_CLIENT_FLAGS, type FlagSpec } from '@splitplane/kit';

export const GATEWAY_FLAGS = {
  'secure-port': {
    type: 'number',
    default: 6443,
    help: 'The port on which to serve HTTPS with authentication and authorization',
  },
  'bind-address': {
    type: 'string',
    default: '0.0.0.0',
    help: 'The IP address on which to listen for the --secure-port port',
  },
  'tls-cert-file': {
    type: 'string',
    default: '',
    help: 'File containing the default x509 certificate for HTTPS',
  },
  'tls-private-key-file': {
    type: 'string',
    default: '',
    help: 'File containing the default x509 private key matching --tls-cert-file',
  },
  'client-ca-file': {
    type: 'string',
    default: '',
    help: 'Client certificates signed by one of these CAs are authenticated (CN = user, O = groups)',
  },
  'registry-address': {
    type: 'string',
    default: '127.0.0.1:7001',
    help: 'gRPC target of the registry service (e.g. dns:///registry:7000)',
  },
  'watch-cache-address': {
    type: 'string',
    default: '127.0.0.1:7002',
    help: 'gRPC target of the watch-cache service',
  },
  'authz-address': {
    type: 'string',
    default: '127.0.0.1:7003',
    help: 'gRPC target of the authz service',
  },
  'admission-address': {
    type: 'string',
    default: '',
    help: 'gRPC target of the admission service, for /readyz only (the registry calls admission)',
  },
  'etcd-servers': {
    type: 'list',
    default: [],
    help: 'etcd client URLs, for the /readyz etcd check only (the gateway never reads etcd)',
  },
  'max-requests-inflight': {
    type: 'number',
    default: 400,
    help: 'Maximum number of non-mutating requests in flight at a given time (0 = unlimited)',
  },
  'max-mutating-requests-inflight': {
    type: 'number',
    default: 200,
    help: 'Maximum number of mutating requests in flight at a given time (0 = unlimited)',
  },
  'request-timeout': {
    type: 'string',
    default: '1m0s',
    help: 'Default timeout for non-long-running requests (Go duration)',
  },
  'min-request-timeout': {
    type: 'number',
    default: 1800,
    help: 'Minimum seconds a watch runs when the client gives no timeoutSeconds (randomized up to 2x)',
  },
  'cors-allowed-origins': {
    type: 'list',
    default: [],
    help: 'Allowed CORS origins (regular expressions); empty disables CORS',
  },
  'goaway-chance': {
    type: 'number',
    default: 0,
    help: 'Fraction of requests answered with Connection: close to rebalance clients (0-0.02)',
  },
  'authorization-cache': {
    type: 'boolean',
    default: true,
    help: 'Reuse authz decisions in the gateway, emptied on every RBAC change (false: ask authz on every request)',
  },
  'authorization-cache-authorized-ttl': {
    type: 'string',
    default: '5s',
    help: 'How long the gateway reuses an allow from the authz service (Go duration; 0 disables)',
  },
  'authorization-cache-unauthorized-ttl': {
    type: 'string',
    default: '5s',
    help: 'How long the gateway reuses a deny from the authz service (Go duration; 0 disables)',
  },
  'nats-servers': {
    type: 'list',
    default: [],
    help: 'NATS URLs the watch-cache publishes watch events to; watches are served from them',
  },
  ...NATS_CLIENT_FLAGS,
  ...GRPC_TLS_FLAGS,
  'watch-bookmark-interval': {
    type: 'number',
    default: 60,
    help: 'Seconds between periodic BOOKMARK events of watches that allow them (kube: 1 minute)',
  },
  'testing-nats-drop-fraction': {
    type: 'number',
    default: 0,
    help: 'Testing only: drop this fraction of received NATS watch messages (fault injection)',
  },
  'max-request-body-bytes': {
    type: 'number',
    default: 3 * 1024 * 1024,
    help: 'Limit on request body size',
  },
} satisfies Record<string, FlagSpec>;
