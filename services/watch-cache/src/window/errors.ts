// Typed outcomes of the window. Append failures are errors (the feed is broken and the
// caller must relist or heal); "too old" and "not yet" are ordinary answers, so they are
// returned as markers rather than thrown.

/** Base class of every rejected append. */
export class WindowAppendError extends Error {
  constructor(
    message: string,
    readonly resource: string,
    readonly rv: bigint,
    options?: { cause?: unknown },
  ) {
    super(resource ? `${resource}: ${message}` : message, options);
    this.name = 'WindowAppendError';
  }
}

/** rv is not newer than what the window already knows (duplicate, reordering, or stale). */
export class OutOfOrderEventError extends WindowAppendError {
  constructor(
    resource: string,
    rv: bigint,
    readonly latestRv: bigint,
  ) {
    super(`event rv ${rv} is not newer than the window's latest rv ${latestRv}`, resource, rv);
    this.name = 'OutOfOrderEventError';
  }
}

/** prevRv contradicts the chain: the window holds an event the producer says does not exist. */
export class PrevRvMismatchError extends WindowAppendError {
  constructor(
    resource: string,
    rv: bigint,
    readonly prevRv: bigint,
    readonly lastEventRv: bigint,
  ) {
    super(
      `event rv ${rv} claims prevRv ${prevRv} but the last event is at rv ${lastEventRv}`,
      resource,
      rv,
    );
    this.name = 'PrevRvMismatchError';
  }
}

/** prevRv is past what the window knows: events in (latestRv, prevRv] are missing. */
export class EventGapError extends WindowAppendError {
  constructor(
    resource: string,
    rv: bigint,
    readonly prevRv: bigint,
    readonly latestRv: bigint,
  ) {
    super(
      `event rv ${rv} follows prevRv ${prevRv}, but the window only knows up to rv ${latestRv}`,
      resource,
      rv,
    );
    this.name = 'EventGapError';
  }
}

/** The history after requestedRv is no longer complete here; the client gets 410 Gone. */
export class TooOld {
  readonly kind = 'too-old' as const;
  constructor(
    readonly requestedRv: bigint,
    readonly oldestResumableRv: bigint,
  ) {}
  /** Same wording as kube's watch cache for the 410 Expired status. */
  get message(): string {
    return `too old resource version: ${this.requestedRv} (${this.oldestResumableRv})`;
  }
}

/** The window has not reached the requested revision yet; the caller may wait and retry. */
export class NotYet {
  readonly kind = 'not-yet' as const;
  constructor(
    readonly requestedRv: bigint,
    readonly latestRv: bigint,
  ) {}
}

export function isTooOld(x: unknown): x is TooOld {
  return x instanceof TooOld;
}

export function isNotYet(x: unknown): x is NotYet {
  return x instanceof NotYet;
}

/** Where a resourceVersion stands against a window. */
export type RvPosition = 'too-old' | 'resumable' | 'future';
