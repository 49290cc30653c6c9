// Compile-once, evaluate-many CEL programs with an LRU cache and a per-evaluation time budget.
import type { Environment } from '@marcbachmann/cel-js';
import { ADMISSION_VARIABLES, newAdmissionEnvironment } from './environment.js';
import { CelBudgetError, CelCompileError, CelEvaluationError } from './errors.js';
import { toCel } from './values.js';

/** Values bound for one evaluation; absent ones are bound to null, as kube does. */
export type Activation = Partial<Record<(typeof ADMISSION_VARIABLES)[number], unknown>>;

const BOUND = Symbol('bound activation');

/** An activation converted to CEL values once, to evaluate many expressions against. */
export type BoundActivation = Readonly<Record<string, unknown>> & { readonly [BOUND]: true };

/**
 * Convert the values once (JSON -> CEL) when several expressions read the same request.
 * `variables` and `authorizer` are passed through untouched.
 */
export function bindActivation(activation: Activation): BoundActivation {
  const context: Record<string | symbol, unknown> = { [BOUND]: true };
  for (const name of ADMISSION_VARIABLES) {
    const v = activation[name];
    context[name] = name === 'variables' || name === 'authorizer' ? (v ?? {}) : toCel(v);
  }
  return context as BoundActivation;
}

export interface CompiledExpression {
  readonly expression: string;
  /** The checked result type (`dyn` when it depends on the bound objects). */
  readonly outputType: string;
  /**
   * Throws CelEvaluationError (or CelBudgetError) on failure; also when the expression calls
   * an asynchronous function (authorizer checks): use evaluateAsync for those.
   */
  evaluate(activation: Activation | BoundActivation): unknown;
  /** As evaluate, awaiting asynchronous functions; rejects with CelEvaluationError. */
  evaluateAsync(activation: Activation | BoundActivation): Promise<unknown>;
}

export interface CelCompilerOptions {
  /** Programs kept compiled (LRU). Default 1000. */
  cacheSize?: number;
  /**
   * Wall-clock budget per evaluation in ms (default 100). JavaScript cannot pre-empt a
   * synchronous evaluation, so an overrun is detected when it returns and reported as an
   * error rather than its result; structural parse limits bound the work up front.
   */
  timeoutMs?: number;
  /** Longest accepted expression source; kube's validation allows 5 KiB. */
  maxExpressionLength?: number;
  environment?: Environment;
}

type Program = ((context: Record<string, unknown>) => unknown) & {
  check(): { valid: boolean; type?: unknown; error?: { message: string } };
};

export class CelCompiler {
  private readonly cache = new Map<string, CompiledExpression>();
  private readonly env: Environment;
  private readonly cacheSize: number;
  private readonly timeoutMs: number;
  private readonly maxLength: number;

  constructor(options: CelCompilerOptions = {}) {
    this.env = options.environment ?? newAdmissionEnvironment();
    this.cacheSize = options.cacheSize ?? 1000;
    this.timeoutMs = options.timeoutMs ?? 100;
    this.maxLength = options.maxExpressionLength ?? 5 * 1024;
  }

  /**
   * Throws CelCompileError when the expression does not parse or type-check, or when its
   * type is known and none of returnTypes (kube's "must evaluate to bool"); `dyn` passes,
   * as objects here carry no schema.
   */
  compile(expression: string, returnTypes?: readonly string[]): CompiledExpression {
    let compiled = this.cache.get(expression);
    if (compiled) {
      this.cache.delete(expression);
      this.cache.set(expression, compiled);
    } else {
      compiled = this.build(expression);
      this.cache.set(expression, compiled);
      if (this.cache.size > this.cacheSize) this.cache.delete(this.cache.keys().next().value!);
    }
    if (
      returnTypes &&
      compiled.outputType !== 'dyn' &&
      !returnTypes.includes(compiled.outputType)
    ) {
      throw new CelCompileError(
        expression,
        returnTypes.length === 1
          ? `must evaluate to ${returnTypes[0]}`
          : `must evaluate to one of [${returnTypes.join(' ')}]`,
      );
    }
    return compiled;
  }

  private build(expression: string): CompiledExpression {
    if (expression.length > this.maxLength)
      throw new CelCompileError(
        expression,
        `expression too long (${expression.length} > ${this.maxLength})`,
      );
    let program: Program;
    try {
      program = this.env.parse(expression) as unknown as Program;
    } catch (err) {
      throw new CelCompileError(expression, firstLine(err), { cause: err });
    }
    const checked = program.check();
    if (!checked.valid) throw new CelCompileError(expression, firstLine(checked.error));
    const timeoutMs = this.timeoutMs;
    const outputType = celTypeString(checked.type);
    return {
      expression,
      outputType,
      evaluate(activation: Activation | BoundActivation): unknown {
        const result = start(activation);
        if (result instanceof Promise) {
          result.catch(() => undefined);
          throw new CelEvaluationError(
            expression,
            'asynchronous function called in a synchronous evaluation',
          );
        }
        return result;
      },
      // Time spent waiting on the authorizer is not CEL work: only the synchronous part is timed.
      async evaluateAsync(activation: Activation | BoundActivation): Promise<unknown> {
        try {
          return await start(activation);
        } catch (err) {
          if (err instanceof CelEvaluationError) throw err;
          throw new CelEvaluationError(expression, firstLine(err), { cause: err });
        }
      },
    };

    function start(activation: Activation | BoundActivation): unknown {
      const context = BOUND in activation ? activation : bindActivation(activation);
      const started = performance.now();
      let result: unknown;
      try {
        result = program(context);
      } catch (err) {
        if (err instanceof CelEvaluationError) throw err;
        throw new CelEvaluationError(expression, firstLine(err), { cause: err });
      }
      const elapsed = performance.now() - started;
      if (elapsed > timeoutMs) throw new CelBudgetError(expression, Math.round(elapsed));
      return result;
    }
  }
}

function celTypeString(type: unknown): string {
  const s = String(type ?? 'dyn');
  return s === 'null' ? 'null_type' : s;
}

function firstLine(err: unknown): string {
  const msg =
    err instanceof Error ? err.message : String((err as { message?: string })?.message ?? err);
  return msg.split('\n')[0]!.trim();
}
