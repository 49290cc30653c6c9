// ValidatingAdmissionPolicy dispatch (kube's validating/dispatcher.go): match each policy and
// its bindings, collect params, validate, then apply the bindings' validationActions. Pure:
// everything it reads comes in through the injected listers.
import { StatusError, newNotFound } from '@splitplane/apimachinery';
import type { KubeObject } from '@splitplane/scheme';
import { AuthorizerValue, type CelAuthorizer, CelCompiler } from '../cel/index.js';
import type { AdmissionAttributes } from '../chain/plugin.js';
import { bindPolicyActivation, namespaceObject, requestObject, userExtra } from './activation.js';
import type {
  BindingLister,
  EquivalentResourceMapper,
  NamespaceLister,
  ParamResolver,
  PolicyLister,
} from './interfaces.js';
import { matchResources } from './matching.js';
import { collectParams } from './params.js';
import type { ValidatingAdmissionPolicy, ValidatingAdmissionPolicyBinding } from './types.js';
import { type PolicyDecision, validate } from './validator.js';

export interface PolicyEvaluatorInputs {
  policies: PolicyLister;
  bindings: BindingLister;
  params: ParamResolver;
  namespaces: NamespaceLister;
  equivalents?: EquivalentResourceMapper;
  /** Shared so compiled programs are cached across requests. */
  compiler?: CelCompiler;
  /** Answers `authorizer` checks in expressions; without it `authorizer` is null. */
  authorizer?: CelAuthorizer;
}

export interface PolicyEvaluation {
  /** The denial to return, when any Deny-action binding failed. */
  error?: StatusError;
  warnings: string[];
  auditAnnotations: Record<string, string>;
}

export const VALIDATION_FAILURE_ANNOTATION =
  'validation.policy.admission.k8s.io/validation_failure';
const MAX_AUDIT_ANNOTATION_VALUE = 10 * 1024;

interface Denied {
  decision: PolicyDecision;
  policy: ValidatingAdmissionPolicy;
  binding?: ValidatingAdmissionPolicyBinding;
}

const REASON_CODES: Record<string, number> = {
  Forbidden: 403,
  Unauthorized: 401,
  RequestEntityTooLarge: 413,
};

export async function evaluatePolicies(
  a: AdmissionAttributes,
  inputs: PolicyEvaluatorInputs,
): Promise<PolicyEvaluation> {
  const compiler = inputs.compiler ?? new CelCompiler();
  const ctx = { namespaces: inputs.namespaces, equivalents: inputs.equivalents };
  const result: PolicyEvaluation = { warnings: [], auditAnnotations: {} };
  const denied: Denied[] = [];
  const allBindings = inputs.bindings.list();

  const configError = (
    err: unknown,
    policy: ValidatingAdmissionPolicy,
    binding?: ValidatingAdmissionPolicyBinding,
  ) => {
    const f = policy.spec.failurePolicy ?? 'Fail';
    if (f === 'Ignore') return;
    const what = binding ? 'binding' : 'policy';
    const message =
      f === 'Fail'
        ? `failed to configure ${what}: ${(err as Error).message}`
        : `unrecognized failure policy: '${f as string}'`;
    denied.push({
      decision: { action: 'deny', evaluation: 'error', message },
      policy,
      ...(binding ? { binding } : {}),
    });
  };

  for (const policy of inputs.policies.list()) {
    let matched;
    try {
      matched = matchResources(policy.spec.matchConstraints, a, ctx, true);
    } catch {
      // kube drops a policy-level match error (e.g. an unknown namespace) and skips the policy.
      continue;
    }
    if (!matched.matches) continue;
    const collected = new Map<string, string[]>();

    for (const binding of allBindings) {
      if (binding.spec.policyName !== policy.metadata.name) continue;
      try {
        if (!matchResources(binding.spec.matchResources, a, ctx, false).matches) continue;
      } catch (err) {
        configError(err, policy, binding);
        continue;
      }
      let params: (KubeObject | null)[];
      try {
        params = collectParams(
          policy.spec.paramKind,
          binding.spec.paramRef,
          a.namespace,
          inputs.params,
        );
      } catch (err) {
        configError(err, policy, binding);
        continue;
      }
      // The namespace object of a Namespace request is not looked up (kube special case).
      const isNamespace =
        a.kind.group === '' && a.kind.version === 'v1' && a.kind.kind === 'Namespace';
      const nsName = isNamespace ? '' : a.namespace;
      let ns: KubeObject | undefined;
      if (nsName) {
        ns = inputs.namespaces.get(nsName);
        if (!ns) throw newNotFound({ group: '', resource: 'namespaces' }, nsName);
      }
      const request = requestObject(a, matched);
      for (const param of params) {
        const base = {
          object: a.object ?? null,
          oldObject: a.oldObject ?? null,
          request,
          params: param,
          namespaceObject: namespaceObject(ns),
          authorizer: authorizerFor(a, inputs.authorizer),
        };
        const activation = bindPolicyActivation(policy.spec.variables ?? [], base, compiler);
        const res = await validate(policy, activation, compiler);
        res.decisions.forEach((d, i) => {
          if (d.action !== 'deny') return;
          for (const action of binding.spec.validationActions ?? []) {
            if (action === 'Deny') denied.push({ decision: d, policy, binding });
            else if (action === 'Warn')
              result.warnings.push(
                `Validation failed for ValidatingAdmissionPolicy '${policy.metadata.name}' with binding '${binding.metadata.name}': ${d.message}`,
              );
            else if (action === 'Audit')
              // kube's AddAnnotation keeps the first value of a key.
              result.auditAnnotations[VALIDATION_FAILURE_ANNOTATION] ??= JSON.stringify([
                {
                  message: d.message,
                  policy: binding.spec.policyName,
                  binding: binding.metadata.name,
                  expressionIndex: i,
                  validationActions: binding.spec.validationActions ?? [],
                },
              ]);
          }
        });
        for (const aa of res.auditAnnotations) {
          if (aa.action === 'publish') {
            const values = collected.get(aa.key) ?? [];
            const value = aa.value.slice(0, MAX_AUDIT_ANNOTATION_VALUE);
            if (!values.includes(value)) values.push(value);
            collected.set(aa.key, values);
          } else if (aa.action === 'error') {
            denied.push({
              decision: { action: 'deny', evaluation: 'error', message: aa.error },
              policy,
              binding,
            });
          }
        }
      }
    }
    for (const [key, values] of collected)
      result.auditAnnotations[`${policy.metadata.name}/${key}`] = values.join(', ');
  }

  const first = denied[0];
  if (first) result.error = denialError(a, first);
  return result;
}

/** The `authorizer` variable for a request: checks run as its user. */
export function authorizerFor(
  a: AdmissionAttributes,
  authz: CelAuthorizer | undefined,
): AuthorizerValue | null {
  if (!authz) return null;
  const extra = userExtra(a);
  return new AuthorizerValue(
    { username: a.user.username, uid: a.user.uid, groups: [...a.user.groups], extra },
    authz,
    {
      group: a.resource.group,
      version: a.resource.version,
      resource: a.resource.resource,
      subresource: a.subresource,
      namespace: a.namespace,
      name: a.name,
    },
  );
}

/** admission.NewForbidden with the policy's reason and code, and the message as a cause. */
function denialError(a: AdmissionAttributes, d: Denied): StatusError {
  const message = d.binding
    ? `ValidatingAdmissionPolicy '${d.policy.metadata.name}' with binding '${d.binding.metadata.name}' denied request: ${d.decision.message}`
    : `ValidatingAdmissionPolicy '${d.policy.metadata.name}' denied request: ${d.decision.message}`;
  const meta = a.object?.metadata;
  const name = meta?.name || meta?.generateName || 'Unknown';
  const gr = a.resource.group ? `${a.resource.resource}.${a.resource.group}` : a.resource.resource;
  const reason = d.decision.reason || 'Invalid';
  return new StatusError({
    code: REASON_CODES[reason] ?? 422,
    reason: reason as never,
    message: `${gr} "${name}" is forbidden: ${message}`,
    details: { name, group: a.resource.group, kind: a.resource.resource, causes: [{ message }] },
  });
}
