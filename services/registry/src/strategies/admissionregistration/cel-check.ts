// kube compiles a policy's and a webhook's CEL expressions when they are written, so a
// broken expression is a 422 then rather than a failurePolicy decision on every request.
// The compiler is admission's (the same environment and libraries that evaluate them).
import { CelCompileError, CelCompiler } from '@splitplane/admission/cel';
import { type FieldError, invalid } from '@splitplane/apimachinery';

export const BOOL = ['bool'] as const;
export const STRING = ['string'] as const;
export const STRING_OR_NULL = ['string', 'null_type'] as const;

let compiler: CelCompiler | undefined;

/** kube's "compilation failed: ..." or "must evaluate to ..." as an Invalid on `path`. */
export function celErrors(
  expression: string,
  path: string,
  returnTypes?: readonly string[],
): FieldError[] {
  compiler ??= new CelCompiler();
  try {
    compiler.compile(expression, returnTypes);
    return [];
  } catch (err) {
    const message = err instanceof CelCompileError ? err.message : String(err);
    const detail = message.startsWith('must evaluate to')
      ? message
      : `compilation failed: ${message}`;
    return [invalid(path, expression, detail)];
  }
}
