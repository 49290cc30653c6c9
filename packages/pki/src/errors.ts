/** Base class for every error this package throws, so callers can catch PKI failures as one kind. */
export class PkiError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A PEM key could not be read, or is of a type we do not sign with. */
export class UnsupportedKeyError extends PkiError {}

/** A certificate or key file on disk is unreadable or malformed. */
export class InvalidPkiFileError extends PkiError {
  constructor(
    readonly path: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${path}: ${message}`, options);
  }
}
