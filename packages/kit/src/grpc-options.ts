// Objects can reach etcd's ~1.5 MiB limit and LISTs many times that; grpc-js's 4 MiB default
// receive limit would turn a large LIST into an opaque RESOURCE_EXHAUSTED.
export const GRPC_MAX_MESSAGE_BYTES = 256 * 1024 * 1024;

export const GRPC_CHANNEL_OPTIONS = {
  'grpc.max_receive_message_length': GRPC_MAX_MESSAGE_BYTES,
  'grpc.max_send_message_length': GRPC_MAX_MESSAGE_BYTES,
  'grpc.keepalive_time_ms': 30_000,
  'grpc.keepalive_timeout_ms': 10_000,
  // Several backend replicas behind one DNS name: spread calls over all of them
  // (DESIGN §6), instead of pinning one HTTP/2 connection.
  'grpc.service_config': JSON.stringify({ loadBalancingConfig: [{ round_robin: {} }] }),
} as const;
