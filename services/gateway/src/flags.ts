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
  'requestheader-client-ca-file': {
    type: 'string',
    default: '',
    help: 'Front-proxy client certificates signed by these CAs may assert the user in request headers',
  },
  'requestheader-allowed-names': {
    type: 'list',
    default: [],
    help: 'Client certificate common names allowed to assert users in request headers (empty: any)',
  },
  'requestheader-username-headers': {
    type: 'list',
    default: [],
    help: 'Request headers to inspect for the user name; the first one set wins (e.g. X-Remote-User)',
  },
  'requestheader-uid-headers': {
    type: 'list',
    default: [],
    help: 'Request headers to inspect for the user UID (e.g. X-Remote-Uid)',
  },
  'requestheader-group-headers': {
    type: 'list',
    default: [],
    help: 'Request headers to inspect for groups (e.g. X-Remote-Group)',
  },
  'requestheader-extra-headers-prefix': {
    type: 'list',
    default: [],
    help: 'Request header prefixes to inspect for extra user info (e.g. X-Remote-Extra-)',
  },
  'token-auth-file': {
    type: 'string',
    default: '',
    help: 'Static bearer tokens, CSV: token,user,uid,"group1,group2"',
  },
  'service-account-key-file': {
    type: 'list',
    default: [],
    help: 'PEM public (or private) keys that verify ServiceAccount tokens (repeatable)',
  },
  'service-account-issuer': {
    type: 'list',
    default: [],
    help: 'Accepted ServiceAccount token issuers; the first one is the iss of issued tokens (repeatable)',
  },
  'service-account-lookup': {
    type: 'boolean',
    default: true,
    help: 'Check that legacy ServiceAccount tokens still exist in their Secret',
  },
  'service-account-signing-key-file': {
    type: 'string',
    default: '',
    help: 'PEM private key that signs ServiceAccount tokens (TokenRequest)',
  },
  'service-account-max-token-expiration': {
    type: 'string',
    default: '0s',
    help: 'Longest validity of an issued ServiceAccount token (Go duration; 0 = no cap)',
  },
  'api-audiences': {
    type: 'list',
    default: [],
    help: 'Audiences of the API; defaults to the first --service-account-issuer',
  },
  'oidc-issuer-url': {
    type: 'string',
    default: '',
    help: 'HTTPS URL of the OpenID issuer; enables OIDC ID-token authentication',
  },
  'oidc-client-id': {
    type: 'string',
    default: '',
    help: 'The audience OIDC ID tokens must carry',
  },
  'oidc-username-claim': {
    type: 'string',
    default: 'sub',
    help: 'The ID-token claim used as the user name',
  },
  'oidc-username-prefix': {
    type: 'string',
    default: '',
    help: "Prefix for OIDC user names; unset: '<issuer>#' unless the claim is email; '-': none",
  },
  'oidc-groups-claim': {
    type: 'string',
    default: '',
    help: 'The ID-token claim holding the groups (string or array)',
  },
  'oidc-groups-prefix': {
    type: 'string',
    default: '',
    help: 'Prefix for OIDC group names',
  },
  'oidc-ca-file': {
    type: 'string',
    default: '',
    help: "CA bundle for the issuer's HTTPS endpoints (default: system roots)",
  },
  'oidc-required-claim': {
    type: 'list',
    default: [],
    help: 'key=value claims every ID token must carry (repeatable)',
  },
  'oidc-signing-algs': {
    type: 'list',
    default: ['RS256'],
    help: 'JOSE algorithms accepted for ID-token signatures',
  },
  'anonymous-auth': {
    type: 'boolean',
    default: true,
    help: 'Requests with no credential are served as system:anonymous (group system:unauthenticated)',
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
