// StatusError carries a complete meta/v1 Status. Services throw these; the gateway's one
// error writer (and the gRPC mapping in kit) turn them into responses.
import type { FieldErrorList } from './field-error.js';
import {
  type GroupKind,
  type GroupResource,
  formatGroupKind,
  formatGroupResource,
} from './group-resource.js';
import type { Status, StatusDetails, StatusReason } from './status.js';

export class StatusError extends Error {
  readonly status: Status;

  constructor(
    status: Omit<Status, 'kind' | 'apiVersion' | 'metadata' | 'status'>,
    options?: ErrorOptions,
  ) {
    super(status.message ?? status.reason ?? 'unknown error', options);
    this.name = 'StatusError';
    this.status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', ...status };
  }

  get code(): number {
    return this.status.code;
  }

  get reason(): StatusReason | undefined {
    return this.status.reason;
  }

  static fromStatus(status: Status): StatusError {
    return new StatusError(status);
  }
}

function make(
  code: number,
  reason: StatusReason,
  message: string,
  details?: StatusDetails,
  cause?: unknown,
) {
  const status: ConstructorParameters<typeof StatusError>[0] = { code, reason, message };
  if (details) status.details = details;
  return new StatusError(status, cause === undefined ? undefined : { cause });
}

export const newNotFound = (gr: GroupResource, name: string) =>
  make(404, 'NotFound', `${formatGroupResource(gr)} "${name}" not found`, {
    name,
    group: gr.group,
    kind: gr.resource,
  });

/** kube's 404 for a path nothing serves (NewGenericServerResponse, no resource): details `{}`. */
export const newPathNotFound = () =>
  make(404, 'NotFound', 'the server could not find the requested resource', {});

export const newAlreadyExists = (gr: GroupResource, name: string) =>
  make(409, 'AlreadyExists', `${formatGroupResource(gr)} "${name}" already exists`, {
    name,
    group: gr.group,
    kind: gr.resource,
  });

export const newConflict = (gr: GroupResource, name: string, why: string) =>
  make(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${formatGroupResource(gr)} "${name}": ${why}`,
    {
      name,
      group: gr.group,
      kind: gr.resource,
    },
  );

/** The optimistic-concurrency failure text kube uses. */
export const OBJECT_MODIFIED =
  'the object has been modified; please apply your changes to the latest version and try again';

export function newInvalid(gk: GroupKind, name: string, errs: FieldErrorList): StatusError {
  const list = errs.map((e) => e.toString());
  const summary = list.length === 1 ? list[0] : `[${list.join(', ')}]`;
  return make(422, 'Invalid', `${formatGroupKind(gk)} "${name}" is invalid: ${summary}`, {
    name,
    group: gk.group,
    kind: gk.kind,
    causes: errs.map((e) => e.toCause()),
  });
}

export const newBadRequest = (message: string, cause?: unknown) =>
  make(400, 'BadRequest', message, undefined, cause);

export const newUnauthorized = (message = 'Unauthorized') => make(401, 'Unauthorized', message);

export function newForbidden(gr: GroupResource, name: string, why: string): StatusError {
  const target = name ? `${formatGroupResource(gr)} "${name}"` : formatGroupResource(gr);
  return make(403, 'Forbidden', `${target} is forbidden: ${why}`, {
    ...(name ? { name } : {}),
    group: gr.group,
    kind: gr.resource,
  });
}

export const newMethodNotSupported = (gr: GroupResource, action: string) =>
  make(
    405,
    'MethodNotAllowed',
    `${action} is not supported on resources of kind "${formatGroupResource(gr)}"`,
    {
      group: gr.group,
      kind: gr.resource,
    },
  );

export const newNotAcceptable = (message: string) => make(406, 'NotAcceptable', message);

export const newGone = (message: string) => make(410, 'Gone', message);

/** "too old resource version": kube answers 410 with reason Expired. */
export const newResourceExpired = (message: string) => make(410, 'Expired', message);

export const newRequestEntityTooLarge = (message: string) =>
  make(413, 'RequestEntityTooLarge', `Request entity too large: ${message}`);

export const newUnsupportedMediaType = (contentType: string, supported: string[]) =>
  make(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${supported.join(', ')}`,
    { causes: [{ reason: 'UnexpectedServerResponse', message: contentType }] },
  );

export const newTooManyRequests = (message: string, retryAfterSeconds: number) =>
  make(429, 'TooManyRequests', message, { retryAfterSeconds });

export const newInternalError = (err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  return make(
    500,
    'InternalError',
    `Internal error occurred: ${message}`,
    { causes: [{ message }] },
    err,
  );
};

export const newServiceUnavailable = (message: string) => make(503, 'ServiceUnavailable', message);

export const newTimeout = (message: string, retryAfterSeconds = 0) =>
  make(504, 'Timeout', message, retryAfterSeconds ? { retryAfterSeconds } : undefined);

/** kube's answer when a request outlives its deadline (the timeout filter's wording). */
export const REQUEST_TIMEOUT_MESSAGE =
  'Timeout: request did not complete within requested timeout - context deadline exceeded';

export const newRequestTimeout = (cause?: unknown) =>
  make(504, 'Timeout', REQUEST_TIMEOUT_MESSAGE, {}, cause);

/** 500 with reason ServerTimeout, used when a server-side wait gives up (e.g. too-large RV). */
export const newServerTimeout = (gr: GroupResource, operation: string, retryAfterSeconds: number) =>
  make(
    504,
    'Timeout',
    `The ${operation} operation against ${formatGroupResource(gr)} could not be completed at this time, please try again.`,
    { group: gr.group, kind: gr.resource, retryAfterSeconds },
  );

/** An error that knows which Status it stands for (e.g. a selector parse error is a 400). */
export interface ConvertibleToStatus {
  toStatusError(): StatusError;
}

function isConvertible(err: unknown): err is ConvertibleToStatus {
  return typeof (err as Partial<ConvertibleToStatus> | null)?.toStatusError === 'function';
}

/**
 * Any thrown value as a StatusError: StatusErrors pass through, errors that convert
 * themselves do so, and everything else is a 500.
 */
export function toStatusError(err: unknown): StatusError {
  if (err instanceof StatusError) return err;
  if (isConvertible(err)) return err.toStatusError();
  return newInternalError(err);
}
