// Typed errors of the CEL layer; callers (policy evaluation) turn them into kube's texts.

/** The expression does not parse or type-check. */
export class CelCompileError extends Error {
  constructor(
    readonly expression: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'CelCompileError';
  }
}

/** The expression failed at run time (no such key, no matching overload, bad argument...). */
export class CelEvaluationError extends Error {
  constructor(
    readonly expression: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'CelEvaluationError';
  }
}

/** The evaluation ran past its time budget (kube's "out of cost budget"). */
export class CelBudgetError extends CelEvaluationError {
  constructor(expression: string, elapsedMs: number) {
    super(expression, `operation cancelled: evaluation took ${elapsedMs}ms, over the time budget`);
    this.name = 'CelBudgetError';
  }
}

/** Raised by library functions for bad arguments (e.g. quantity("x")); CEL reports it as an eval error. */
export class CelFunctionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CelFunctionError';
  }
}
