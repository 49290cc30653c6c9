import { type StatusError, newBadRequest } from '../errors/index.js';

/**
 * A label selector string that does not parse, or a requirement that is invalid. The message
 * follows k8s.io/apimachinery/pkg/labels ("unable to parse requirement: ..."); kube answers
 * these with 400 BadRequest carrying the message verbatim.
 */
export class SelectorParseError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SelectorParseError';
  }

  toStatusError(): StatusError {
    return newBadRequest(this.message, this);
  }
}
