// kube's quota.Evaluator (k8s.io/apiserver/pkg/quota/v1/interfaces.go), reduced to what
// admission and the quota controller use: usage is measured on Kubernetes JSON objects.
import type { KubeObject } from '@splitplane/scheme';
import type { ResourceList } from '../resource-list.js';

export type QuotaOperation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';

/** A ResourceQuota's spec.scopeSelector.matchExpressions entry (scopes become Exists). */
export interface ScopeSelectorRequirement {
  scopeName: string;
  operator: string;
  values?: string[];
}

/** What an evaluator needs of an admission request. */
export interface QuotaAttributes {
  operation: QuotaOperation;
  subresource: string;
  object: KubeObject | undefined;
  oldObject: KubeObject | undefined;
}

export interface Evaluator {
  readonly group: string;
  readonly resource: string;
  /** Whether the request can change this resource's usage. */
  handles(attrs: QuotaAttributes): boolean;
  /** Of `names` (a quota's hard resources), those this evaluator measures. */
  matchingResources(names: readonly string[]): string[];
  /** Whether `obj` falls in the scope; throws ScopeSelectorError for a malformed selector. */
  matchesScope(scope: ScopeSelectorRequirement, obj: KubeObject): boolean;
  /** kube's Constraints: a message when `obj` lacks what quota on `required` demands. */
  constraints(required: readonly string[], obj: KubeObject): string | undefined;
  /** The usage `obj` charges. */
  usage(obj: KubeObject, now?: Date): ResourceList;
}

export class ScopeSelectorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScopeSelectorError';
  }
}
