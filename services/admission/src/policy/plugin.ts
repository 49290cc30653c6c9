// The admission Plugin face of policy evaluation (not yet registered in main.ts).
import type { AdmissionAttributes, AdmissionContext, Operation, Plugin } from '../chain/plugin.js';
import { CelCompiler } from '../cel/index.js';
import { type PolicyEvaluatorInputs, evaluatePolicies } from './dispatcher.js';

export class ValidatingAdmissionPolicyPlugin implements Plugin {
  readonly name = 'ValidatingAdmissionPolicy';
  private readonly inputs: PolicyEvaluatorInputs;

  constructor(inputs: PolicyEvaluatorInputs) {
    this.inputs = { ...inputs, compiler: inputs.compiler ?? new CelCompiler() };
  }

  handles(_operation: Operation): boolean {
    return true;
  }

  async validate(attributes: AdmissionAttributes, context: AdmissionContext): Promise<void> {
    const r = await evaluatePolicies(attributes, this.inputs);
    context.warnings.push(...r.warnings);
    Object.assign(context.auditAnnotations, r.auditAnnotations);
    if (r.error) throw r.error;
  }
}
