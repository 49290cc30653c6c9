// kube's WrapAudienceAgnosticToken: authenticators whose tokens name no audience (the token
// file, OIDC) are valid for the API audiences only. A TokenReview that asks for other
// audiences gets "not mine" from them.
import { type AuthResult, type TokenAuthenticator, intersectAudiences } from './types.js';

export class AudienceAgnostic implements TokenAuthenticator {
  readonly name: string;
  constructor(
    private readonly inner: TokenAuthenticator,
    private readonly apiAudiences: readonly string[],
  ) {
    this.name = inner.name;
  }

  async authenticateToken(token: string, audiences: readonly string[]): Promise<AuthResult | null> {
    if (this.apiAudiences.length === 0 || audiences.length === 0) {
      return this.inner.authenticateToken(token, audiences);
    }
    const matching = intersectAudiences(audiences, this.apiAudiences);
    if (matching.length === 0) return null;
    const result = await this.inner.authenticateToken(token, audiences);
    return result ? { ...result, audiences: matching } : null;
  }
}
