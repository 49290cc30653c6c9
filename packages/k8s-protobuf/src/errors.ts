/**
 * Thrown when request bytes are not a Kubernetes protobuf object we can read:
 * bad magic, truncated or malformed wire data, or an apiVersion/kind with no
 * protobuf message. The gateway answers it with a 400 BadRequest Status.
 */
export class ProtobufDecodeError extends Error {
  override readonly name = 'ProtobufDecodeError';
}

/**
 * Thrown when a JSON object cannot be written as Kubernetes protobuf: the kind
 * has no protobuf message (custom resources, Table) or a field holds a JSON
 * value of the wrong type. The gateway answers JSON instead.
 */
export class ProtobufEncodeError extends Error {
  override readonly name = 'ProtobufEncodeError';
}
