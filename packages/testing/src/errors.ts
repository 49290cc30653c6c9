/** Base class for every error this package throws. */
export class TestingError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A managed process exited or never became ready; the message ends with its log tail. */
export class StartupError extends TestingError {
  constructor(
    readonly processName: string,
    reason: string,
    readonly logFile: string,
    readonly logTail: string,
    options?: { cause?: unknown },
  ) {
    super(
      `${processName} failed to start: ${reason}\n--- last lines of ${logFile} ---\n${logTail}`,
      options,
    );
  }
}

/** waitFor gave up; `cause` holds the last error the condition threw, if any. */
export class WaitTimeoutError extends TestingError {}
