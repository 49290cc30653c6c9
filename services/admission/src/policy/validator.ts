// One policy, one binding, one param: matchConditions, validations (message,
// messageExpression, reason) and auditAnnotations -> decisions, as kube's validator.go.
import type { Activation, BoundActivation, CelCompiler, CompiledExpression } from '../cel/index.js';
import { CelBudgetError, CelCompileError, celTypeName } from '../cel/index.js';
import type {
  AuditAnnotation,
  FailurePolicy,
  ValidatingAdmissionPolicy,
  Validation,
} from './types.js';

export type DecisionAction = 'admit' | 'deny';

export interface PolicyDecision {
  action: DecisionAction;
  /** 'error' when the decision comes from an evaluation error (failurePolicy applied). */
  evaluation: 'admit' | 'deny' | 'error';
  message: string;
  reason?: string;
}

export type AuditAnnotationResult =
  | { action: 'publish'; key: string; value: string }
  | { action: 'exclude'; key: string }
  | { action: 'error'; key: string; error: string };

export interface ValidateResult {
  decisions: PolicyDecision[];
  auditAnnotations: AuditAnnotationResult[];
}

const MAX_MESSAGE_BYTES = 5 * 1024;
const BOOL = ['bool'];
const STRING = ['string'];
const STRING_OR_NULL = ['string', 'null_type'];

/** Evaluate and classify errors the way kube's CEL filter reports them. */
export async function run(
  compiler: CelCompiler,
  expression: string,
  activation: Activation | BoundActivation,
  returnTypes?: readonly string[],
): Promise<{ value: unknown } | { error: string }> {
  let program: CompiledExpression;
  try {
    program = compiler.compile(expression, returnTypes);
  } catch (err) {
    if (err instanceof CelCompileError) return { error: `compilation error: ${err.message}` };
    throw err;
  }
  try {
    return { value: await program.evaluateAsync(activation) };
  } catch (err) {
    if (err instanceof CelBudgetError)
      return {
        error:
          'validation failed due to running out of cost budget, no further validation rules will be run',
      };
    return { error: `expression '${expression}' resulted in error: ${(err as Error).message}` };
  }
}

function errorDecision(f: FailurePolicy, message: string): PolicyDecision {
  return { action: f === 'Ignore' ? 'admit' : 'deny', evaluation: 'error', message };
}

export async function validate(
  policy: ValidatingAdmissionPolicy,
  activation: Activation | BoundActivation,
  compiler: CelCompiler,
): Promise<ValidateResult> {
  const f = policy.spec.failurePolicy ?? 'Fail';
  // matchConditions: any false skips; otherwise any error goes to failurePolicy.
  const errors: string[] = [];
  for (const mc of policy.spec.matchConditions ?? []) {
    const r = await run(compiler, mc.expression, activation, BOOL);
    if ('error' in r) errors.push(r.error);
    else if (r.value === false) return { decisions: [], auditAnnotations: [] };
    else if (r.value !== true)
      errors.push(
        `expression '${mc.expression}' resulted in error: no such overload: expected bool, got ${celTypeName(r.value)}`,
      );
  }
  if (errors.length > 0) {
    if (f === 'Ignore') return { decisions: [], auditAnnotations: [] };
    // utilerrors.Aggregate prints one error bare and several as "[a, b]".
    const message = errors.length === 1 ? errors[0]! : `[${errors.join(', ')}]`;
    return { decisions: [errorDecision(f, message)], auditAnnotations: [] };
  }

  const decisions: PolicyDecision[] = [];
  for (const v of policy.spec.validations ?? []) decisions.push(await decide(v));
  async function decide(v: Validation): Promise<PolicyDecision> {
    const r = await run(compiler, v.expression, activation, BOOL);
    if ('error' in r) return errorDecision(f, r.error);
    if (r.value === true) return { action: 'admit', evaluation: 'admit', message: '' };
    let message = '';
    if (v.messageExpression) {
      const m = await run(compiler, v.messageExpression, activation, STRING);
      if ('value' in m && typeof m.value === 'string') {
        message = m.value.trim();
        if (Buffer.byteLength(message) > MAX_MESSAGE_BYTES || message.includes('\n')) message = '';
      }
    }
    if (!message && v.message) message = v.message.trim();
    if (!message) message = `failed expression: ${v.expression.trim()}`;
    return { action: 'deny', evaluation: 'deny', message, reason: v.reason ?? 'Invalid' };
  }

  const auditAnnotations: AuditAnnotationResult[] = [];
  for (const aa of policy.spec.auditAnnotations ?? []) auditAnnotations.push(await annotate(aa));
  async function annotate(aa: AuditAnnotation): Promise<AuditAnnotationResult> {
    const r = await run(compiler, aa.valueExpression, activation, STRING_OR_NULL);
    if ('error' in r)
      return f === 'Ignore'
        ? { action: 'exclude', key: aa.key }
        : { action: 'error', key: aa.key, error: r.error };
    if (r.value === null || r.value === undefined) return { action: 'exclude', key: aa.key };
    if (typeof r.value !== 'string')
      return {
        action: 'error',
        key: aa.key,
        error: `valueExpression '${aa.valueExpression}' resulted in unsupported return type: ${celTypeName(r.value)}. Return type must be either string or null.`,
      };
    const value = r.value.trim();
    return value ? { action: 'publish', key: aa.key, value } : { action: 'exclude', key: aa.key };
  }
  return { decisions, auditAnnotations };
}
