// AlwaysAllow and AlwaysDeny, the two trivial modes of --authorization-mode.
import type { AuthorizationResult, Authorizer } from './authorizer.js';

export class AlwaysAllowAuthorizer implements Authorizer {
  async authorize(): Promise<AuthorizationResult> {
    return { decision: 'Allow', reason: '' };
  }
}

export class AlwaysDenyAuthorizer implements Authorizer {
  async authorize(): Promise<AuthorizationResult> {
    return { decision: 'Deny', reason: 'Everything is forbidden.' };
  }
}
