// The Authorizer seam of k8s.io/apiserver: every mode answers Allow, Deny or NoOpinion, and
// a union asks them in order until one is decisive.
import type { UserInfo } from '@splitplane/proto';

export type Decision = 'Allow' | 'Deny' | 'NoOpinion';

export interface Attributes {
  user: UserInfo;
  verb: string;
  resourceRequest: boolean;
  path: string;
  apiGroup: string;
  apiVersion: string;
  resource: string;
  subresource: string;
  namespace: string;
  name: string;
}

export interface AuthorizationResult {
  decision: Decision;
  reason: string;
  /** Why a mode could not decide properly (a webhook that failed); reported, never fatal. */
  evaluationError?: string;
}

export interface Authorizer {
  authorize(attributes: Attributes): Promise<AuthorizationResult>;
}
