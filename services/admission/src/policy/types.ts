// admissionregistration.k8s.io/v1 ValidatingAdmissionPolicy and Binding, as far as
// evaluation reads them (API defaulting assumed: failurePolicy Fail, matchPolicy Equivalent,
// selectors {}, scope "*").
import type { LabelSelector } from '@splitplane/apimachinery';
import type { KubeObject } from '@splitplane/scheme';

export type FailurePolicy = 'Fail' | 'Ignore';
export type MatchPolicy = 'Exact' | 'Equivalent';
export type ValidationAction = 'Deny' | 'Warn' | 'Audit';

export interface RuleWithOperations {
  operations?: string[];
  apiGroups?: string[];
  apiVersions?: string[];
  resources?: string[];
  scope?: '*' | 'Cluster' | 'Namespaced';
}

export interface NamedRuleWithOperations extends RuleWithOperations {
  resourceNames?: string[];
}

export interface MatchResources {
  namespaceSelector?: LabelSelector | null;
  objectSelector?: LabelSelector | null;
  resourceRules?: NamedRuleWithOperations[];
  excludeResourceRules?: NamedRuleWithOperations[];
  matchPolicy?: MatchPolicy;
}

export interface ParamKind {
  apiVersion?: string;
  kind?: string;
}

export interface ParamRef {
  name?: string;
  namespace?: string;
  selector?: LabelSelector | null;
  parameterNotFoundAction?: 'Allow' | 'Deny';
}

export interface Validation {
  expression: string;
  message?: string;
  reason?: string;
  messageExpression?: string;
}

export interface AuditAnnotation {
  key: string;
  valueExpression: string;
}

export interface MatchCondition {
  name: string;
  expression: string;
}

export interface Variable {
  name: string;
  expression: string;
}

export interface ValidatingAdmissionPolicy extends KubeObject {
  metadata: { name: string; [key: string]: unknown };
  spec: {
    paramKind?: ParamKind | null;
    matchConstraints?: MatchResources | null;
    validations?: Validation[];
    failurePolicy?: FailurePolicy;
    auditAnnotations?: AuditAnnotation[];
    matchConditions?: MatchCondition[];
    variables?: Variable[];
  };
}

export interface ValidatingAdmissionPolicyBinding extends KubeObject {
  metadata: { name: string; [key: string]: unknown };
  spec: {
    policyName: string;
    paramRef?: ParamRef | null;
    matchResources?: MatchResources | null;
    validationActions?: ValidationAction[];
  };
}
