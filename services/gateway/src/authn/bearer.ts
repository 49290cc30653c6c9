// Bearer tokens: `Authorization: Bearer <token>`, or kube's websocket subprotocol
// `base64url.bearer.authorization.k8s.io.<base64url token>` (browsers cannot set headers on a
// websocket). The token goes to each token authenticator in turn; a token none accepts is an
// invalid credential. The credential is removed from the request either way.
import type { IncomingMessage } from 'node:http';
import {
  AuthenticationError,
  type AuthResult,
  type RequestAuthenticator,
  type TokenAuthenticator,
} from './types.js';

const WS_PROTOCOL_PREFIX = 'base64url.bearer.authorization.k8s.io.';

/** Tries each token authenticator in order (kube's token union). */
export class TokenUnion implements TokenAuthenticator {
  readonly name = 'tokens';
  constructor(readonly authenticators: readonly TokenAuthenticator[]) {}

  async authenticateToken(token: string, audiences: readonly string[]): Promise<AuthResult | null> {
    const errors: Error[] = [];
    for (const a of this.authenticators) {
      try {
        const result = await a.authenticateToken(token, audiences);
        if (result) return result;
      } catch (err) {
        errors.push(err as Error);
      }
    }
    if (errors.length) throw aggregate(errors);
    return null;
  }
}

export class BearerTokenAuthenticator implements RequestAuthenticator {
  readonly name = 'bearer';
  constructor(
    private readonly tokens: TokenAuthenticator,
    private readonly apiAudiences: readonly string[],
  ) {}

  /** Synchronous when there is no token, so anonymous requests await nothing. */
  authenticate(req: IncomingMessage): Promise<AuthResult> | null {
    const token = takeToken(req);
    return token === undefined ? null : this.verify(token);
  }

  private async verify(token: string): Promise<AuthResult> {
    const result = await this.tokens.authenticateToken(token, this.apiAudiences);
    // kube's bearer-token authenticator: a token nobody recognised is an error, not "no token".
    if (!result) throw new AuthenticationError('invalid bearer token');
    return result;
  }
}

/** The request's bearer token, removed from its headers; undefined when none is presented. */
export function takeToken(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization;
  if (auth !== undefined) {
    delete req.headers.authorization;
    const parts = auth.trim().split(/\s+/);
    // kube ignores malformed or non-bearer Authorization headers (other authenticators may
    // use them) and an empty token.
    if (parts.length === 2 && parts[0]!.toLowerCase() === 'bearer' && parts[1]) return parts[1];
  }
  return takeWebsocketToken(req);
}

function takeWebsocketToken(req: IncomingMessage): string | undefined {
  if ((req.headers.upgrade ?? '').toLowerCase() !== 'websocket') return undefined;
  const header = req.headers['sec-websocket-protocol'];
  if (!header) return undefined;
  let token: string | undefined;
  const kept: string[] = [];
  for (const raw of header.split(',')) {
    const protocol = raw.trim();
    if (protocol.startsWith(WS_PROTOCOL_PREFIX)) {
      const encoded = protocol.slice(WS_PROTOCOL_PREFIX.length);
      token = Buffer.from(encoded, 'base64url').toString('utf8');
    } else if (protocol) {
      kept.push(protocol);
    }
  }
  if (token === undefined) return undefined;
  if (kept.length) req.headers['sec-websocket-protocol'] = kept.join(',');
  else delete req.headers['sec-websocket-protocol'];
  return token || undefined;
}

/** utilerrors.NewAggregate's message: one error as is, several as "[a, b]". */
export function aggregate(errors: Error[]): AuthenticationError {
  if (errors.length === 1 && errors[0] instanceof AuthenticationError) return errors[0];
  const message =
    errors.length === 1 ? errors[0]!.message : `[${errors.map((e) => e.message).join(', ')}]`;
  return new AuthenticationError(message, { cause: errors.length === 1 ? errors[0] : errors });
}
