#!/usr/bin/env node
// splitplane-registry: the only writer to etcd.
// Listening: one `--listen-address host:port` (gRPC), default 127.0.0.1:6551; port 0 picks a
// free port, which is logged ("serving splitplane.v1.Registry", port).
import { GRPC_TLS_FLAGS, dial, grpcCredentialsFromFlags, runService } from '@splitplane/kit';
import { AuthorizerClient } from '@splitplane/proto';
import { DEFAULT_MAX_REQUEST_BYTES } from '@splitplane/storage';
import { DEFAULT_DESCRIBE_INTERVAL_MS, GrpcAdmission } from './admission/grpc-admission.js';
import {
  DEFAULT_SERVICE_CLUSTER_IP_RANGE,
  DEFAULT_SERVICE_NODE_PORT_RANGE,
  PortRange,
  ServiceIPRange,
} from './allocators/ranges.js';
import { parseDurationMs } from './quota-controller/duration.js';
import { DEFAULT_KUBERNETES_SERVICE_PORT } from './service-controller/kubernetes-service.js';
import { startRegistry } from './registry.js';
import { grpcEscalationChecker } from './rbac/escalation-hooks.js';
import { grpcParamAuthorizer } from './strategies/admissionregistration/param-authorization.js';

await runService({
  name: 'registry',
  flags: {
    'etcd-servers': {
      type: 'list',
      default: ['http://127.0.0.1:2379'],
      help: 'etcd client URLs, comma-separated',
    },
    'listen-address': {
      type: 'string',
      default: '127.0.0.1:6551',
      help: 'gRPC listen address host:port (port 0 = any free port)',
    },
    'admission-address': {
      type: 'string',
      default: '',
      help: 'gRPC target of the admission service (required)',
    },
    'authz-address': {
      type: 'string',
      default: '',
      help: 'gRPC target of the authz service: RBAC escalation checks on writes of roles and bindings (unchecked when empty)',
    },
    'etcd-max-request-bytes': {
      type: 'number',
      default: DEFAULT_MAX_REQUEST_BYTES,
      help: "largest object write sent to etcd; larger objects are refused with 413 (match etcd's --max-request-bytes)",
    },
    'admission-describe-interval-ms': {
      type: 'number',
      default: DEFAULT_DESCRIBE_INTERVAL_MS,
      help: 'how often the admission chain is described, to skip phases no plugin handles (0: never skip); a plugin enabled later is consulted within about this long',
    },
    'service-cluster-ip-range': {
      type: 'string',
      default: DEFAULT_SERVICE_CLUSTER_IP_RANGE,
      help: "IPv4 CIDR Service cluster IPs are allocated from; its first address is the kubernetes Service's",
    },
    'service-node-port-range': {
      type: 'string',
      default: DEFAULT_SERVICE_NODE_PORT_RANGE,
      help: 'port range (inclusive) Service node ports are allocated from',
    },
    'kubernetes-service-port': {
      type: 'number',
      default: DEFAULT_KUBERNETES_SERVICE_PORT,
      help: "targetPort of the default/kubernetes Service: the gateway's secure port",
    },
    'resource-quota-sync-period': {
      type: 'string',
      default: '5m0s',
      help: 'how often every ResourceQuota is recounted in full (Go duration, as kube-controller-manager takes it)',
    },
    'namespace-sync-interval-ms': {
      type: 'number',
      default: 1000,
      help: 'how often the namespace controller looks for namespaces to empty',
    },
    ...GRPC_TLS_FLAGS,
  },
  async start(flags, log) {
    if (!flags['admission-address']) throw new Error('--admission-address is required');
    // Checked before anything connects, so a typo fails fast with one clear line.
    new ServiceIPRange(flags['service-cluster-ip-range']);
    new PortRange(flags['service-node-port-range']);
    const resourceQuotaSyncPeriodMs = parseDurationMs(flags['resource-quota-sync-period']);
    if (resourceQuotaSyncPeriodMs <= 0)
      throw new Error('--resource-quota-sync-period must be a positive duration');
    const grpcCredentials = await grpcCredentialsFromFlags(flags, log);
    const admission = new GrpcAdmission(flags['admission-address'], {
      describeIntervalMs: flags['admission-describe-interval-ms'],
      credentials: grpcCredentials,
    });
    // Best effort: until a description arrives every admission phase is called.
    await admission.start();
    const authz = flags['authz-address']
      ? dial(AuthorizerClient, flags['authz-address'], grpcCredentials)
      : undefined;
    if (!authz) log.warn('no --authz-address: RBAC escalation prevention is off');
    const registry = await startRegistry(
      {
        etcdServers: flags['etcd-servers'],
        listenAddress: flags['listen-address'],
        credentials: grpcCredentials.server,
        admission,
        etcdMaxRequestBytes: flags['etcd-max-request-bytes'],
        namespaceSyncIntervalMs: flags['namespace-sync-interval-ms'],
        serviceClusterIPRange: flags['service-cluster-ip-range'],
        serviceNodePortRange: flags['service-node-port-range'],
        kubernetesServicePort: flags['kubernetes-service-port'],
        resourceQuotaSyncPeriodMs,
        ...(authz
          ? {
              escalationChecker: grpcEscalationChecker(authz),
              paramAuthorizer: grpcParamAuthorizer(authz),
            }
          : {}),
      },
      log,
    );
    return {
      async stop() {
        await registry.stop();
        admission.close();
        authz?.close();
      },
    };
  },
});
