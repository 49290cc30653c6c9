// Builds the etcd3 client the way every splitplane component must use it (DESIGN §10):
// no blind retries (writes are not idempotent) and no circuit breaker (one oversized put
// would otherwise fail every call for 5 s), and a receive limit large enough for big ranges.
import { Etcd3, type IOptions } from 'etcd3';
import { noop } from 'cockatiel';

export interface EtcdClientOptions {
  /** Client URLs, e.g. ["http://127.0.0.1:2379"] (kube's --etcd-servers). */
  servers: string[];
  dialTimeoutMs?: number;
  credentials?: IOptions['credentials'];
}

export const ETCD_MAX_RECEIVE_BYTES = 512 * 1024 * 1024;

export function createEtcdClient(opts: EtcdClientOptions): Etcd3 {
  if (opts.servers.length === 0) throw new Error('no etcd servers given');
  return new Etcd3({
    hosts: opts.servers,
    dialTimeout: opts.dialTimeoutMs ?? 10_000,
    ...(opts.credentials ? { credentials: opts.credentials } : {}),
    faultHandling: { host: () => noop, global: noop },
    grpcOptions: {
      'grpc.max_receive_message_length': ETCD_MAX_RECEIVE_BYTES,
      'grpc.max_send_message_length': ETCD_MAX_RECEIVE_BYTES,
    },
  });
}
