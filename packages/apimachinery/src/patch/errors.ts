// Patch failures as the Status kube-apiserver's patch handler answers with. PatchError is a
// StatusError, so the registry can let it propagate unchanged.
import { StatusError } from '../errors/index.js';

/** kube's wording for a 422 built by NewGenericServerResponse (a patch that does not apply). */
export const UNPROCESSABLE_MESSAGE =
  'the server rejected our request due to an error in our request';

export class PatchError extends StatusError {
  private constructor(
    code: number,
    reason: 'BadRequest' | 'Invalid' | 'RequestEntityTooLarge',
    message: string,
    withDetails: boolean,
    options?: ErrorOptions,
  ) {
    super({ code, reason, message, ...(withDetails ? { details: {} } : {}) }, options);
    this.name = 'PatchError';
  }

  /** 400: the patch document itself is malformed. */
  static badRequest(message: string, cause?: unknown): PatchError {
    return new PatchError(
      400,
      'BadRequest',
      message,
      false,
      cause === undefined ? undefined : { cause },
    );
  }

  /**
   * 422 Invalid: a well-formed patch that cannot be applied (failed `test`, missing path).
   * kube drops the underlying reason from the message; we keep it as `cause` for logs.
   */
  static unprocessable(cause: unknown): PatchError {
    return new PatchError(422, 'Invalid', UNPROCESSABLE_MESSAGE, true, { cause });
  }

  static tooLarge(message: string): PatchError {
    return new PatchError(
      413,
      'RequestEntityTooLarge',
      `Request entity too large: ${message}`,
      false,
    );
  }
}
