import { type StatusError, newBadRequest } from '../errors/index.js';

/** A field selector that does not parse; kube answers 400 BadRequest with this message. */
export class FieldSelectorParseError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'FieldSelectorParseError';
  }

  toStatusError(): StatusError {
    return newBadRequest(this.message, this);
  }
}
