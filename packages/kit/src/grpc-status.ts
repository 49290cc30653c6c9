// Kubernetes Status errors cross gRPC as a gRPC code plus the full Status JSON in binary
// trailing metadata, so the gateway can answer with exactly the body the service built.
import { Metadata, status as GrpcCode, type ServiceError } from '@grpc/grpc-js';
import {
  StatusError,
  type Status,
  isStatus,
  newInternalError,
  newServiceUnavailable,
  newTimeout,
  newRequestTimeout,
  toStatusError,
} from '@splitplane/apimachinery';

export const STATUS_METADATA_KEY = 'k8s-status-bin';
/** Warnings recorded before a request failed: kube still sends them (Warning headers). */
export const WARNINGS_METADATA_KEY = 'k8s-warnings-bin';

const WARNINGS = Symbol.for('splitplane.status-error.warnings');

/** Attaches warnings to an error so they cross gRPC with it; returns the same error. */
export function withWarnings<E extends Error>(err: E, warnings: readonly string[]): E {
  if (warnings.length === 0) return err;
  const own = (err as { [WARNINGS]?: string[] })[WARNINGS] ?? [];
  Object.defineProperty(err, WARNINGS, {
    value: [...own, ...warnings],
    enumerable: false,
    configurable: true,
  });
  return err;
}

/** The warnings attached to an error (withWarnings, or carried over gRPC); [] when none. */
export function warningsOf(err: unknown): string[] {
  if (typeof err !== 'object' || err === null) return [];
  return [...((err as { [WARNINGS]?: string[] })[WARNINGS] ?? [])];
}

const codeByHttp: Record<number, GrpcCode> = {
  400: GrpcCode.INVALID_ARGUMENT,
  401: GrpcCode.UNAUTHENTICATED,
  403: GrpcCode.PERMISSION_DENIED,
  404: GrpcCode.NOT_FOUND,
  405: GrpcCode.UNIMPLEMENTED,
  406: GrpcCode.INVALID_ARGUMENT,
  409: GrpcCode.ALREADY_EXISTS,
  410: GrpcCode.OUT_OF_RANGE,
  413: GrpcCode.RESOURCE_EXHAUSTED,
  415: GrpcCode.INVALID_ARGUMENT,
  422: GrpcCode.INVALID_ARGUMENT,
  429: GrpcCode.RESOURCE_EXHAUSTED,
  500: GrpcCode.INTERNAL,
  503: GrpcCode.UNAVAILABLE,
  504: GrpcCode.DEADLINE_EXCEEDED,
};

export interface GrpcErrorPayload {
  code: GrpcCode;
  details: string;
  metadata: Metadata;
}

/** Any thrown value -> the error object grpc-js sends to the caller. */
export function toGrpcError(err: unknown): GrpcErrorPayload {
  const statusError = toStatusError(err);
  const metadata = new Metadata();
  metadata.set(STATUS_METADATA_KEY, Buffer.from(JSON.stringify(statusError.status)));
  const warnings = warningsOf(err);
  if (warnings.length > 0)
    metadata.set(WARNINGS_METADATA_KEY, Buffer.from(JSON.stringify(warnings)));
  return {
    code: codeByHttp[statusError.code] ?? GrpcCode.UNKNOWN,
    details: statusError.message,
    metadata,
  };
}

/** A failed gRPC call -> the StatusError it carried, or one that fits its gRPC code. */
export function fromGrpcError(err: ServiceError | Error, target = 'backend'): StatusError {
  const serviceError = err as Partial<ServiceError>;
  const values = serviceError.metadata?.get(STATUS_METADATA_KEY) ?? [];
  for (const value of values) {
    try {
      const parsed: unknown = JSON.parse(Buffer.isBuffer(value) ? value.toString('utf8') : value);
      if (isStatus(parsed))
        return withWarnings(
          StatusError.fromStatus(parsed as Status),
          carriedWarnings(serviceError),
        );
    } catch {
      // fall through to the code mapping
    }
  }
  switch (serviceError.code) {
    case GrpcCode.UNAVAILABLE:
      // The transport detail (addresses, resolver state) stays in `cause` for server logs;
      // clients learn only which stage is down, as kube's 503s say nothing of its insides.
      return withCause(
        newServiceUnavailable(
          `the server is currently unable to handle the request (${target} is unavailable)`,
        ),
        err,
      );
    case GrpcCode.DEADLINE_EXCEEDED:
      // The request's one deadline ran out at this hop: the same answer the timeout filter gives.
      return newRequestTimeout(err);
    case GrpcCode.CANCELLED:
      return withCause(newTimeout(`the ${target} call was cancelled`), err);
    default:
      return withCause(newInternalError(`${target}: ${serviceError.details ?? err.message}`), err);
  }
}

function withCause(statusError: StatusError, cause: unknown): StatusError {
  return new StatusError(statusError.status, { cause });
}

function carriedWarnings(serviceError: Partial<ServiceError>): string[] {
  for (const value of serviceError.metadata?.get(WARNINGS_METADATA_KEY) ?? []) {
    try {
      const parsed: unknown = JSON.parse(Buffer.isBuffer(value) ? value.toString('utf8') : value);
      if (Array.isArray(parsed)) return parsed.filter((w): w is string => typeof w === 'string');
    } catch {
      // a malformed value carries nothing
    }
  }
  return [];
}
