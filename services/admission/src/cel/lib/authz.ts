// Kubernetes CEL authorizer library (k8s.io/apiserver/pkg/cel/library/authz.go):
// authorizer.group(g).resource(r)[.subresource(s)][.namespace(n)][.name(x)].check(verb),
// authorizer.path(p).check(verb), authorizer.serviceAccount(ns, name),
// authorizer.requestResource, and Decision.allowed()/reason()/errored()/error().
// check() is asynchronous (authorization is a remote call), so expressions using it
// evaluate to a Promise; CompiledExpression.evaluateAsync awaits it.
import type { Environment } from '@marcbachmann/cel-js';

export interface AuthorizationUser {
  username: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

export interface AuthorizationCheck {
  user: AuthorizationUser;
  verb: string;
  resourceRequest: boolean;
  /** Resource requests. */
  group?: string;
  version?: string;
  resource?: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  /** Non-resource requests. */
  path?: string;
}

export interface AuthorizationResult {
  decision: 'Allow' | 'Deny' | 'NoOpinion';
  reason: string;
  /** Set when the authorizer failed. */
  error?: string;
}

/** What the admission service injects to answer authorizer checks. */
export interface CelAuthorizer {
  authorize(check: AuthorizationCheck): Promise<AuthorizationResult>;
}

export class AuthzDecision {
  constructor(readonly result: AuthorizationResult) {}
}

export class ResourceCheck {
  constructor(
    readonly authz: AuthorizerValue,
    readonly attrs: Omit<AuthorizationCheck, 'user' | 'verb' | 'resourceRequest'>,
  ) {}

  with(patch: Partial<ResourceCheck['attrs']>): ResourceCheck {
    return new ResourceCheck(this.authz, { ...this.attrs, ...patch });
  }
}

export class GroupCheck {
  constructor(
    readonly authz: AuthorizerValue,
    readonly group: string,
  ) {}
}

export class PathCheck {
  constructor(
    readonly authz: AuthorizerValue,
    readonly path: string,
  ) {}
}

export class AuthorizerValue {
  readonly requestResource: ResourceCheck;

  constructor(
    readonly user: AuthorizationUser,
    readonly authorizer: CelAuthorizer,
    request: Omit<AuthorizationCheck, 'user' | 'verb' | 'resourceRequest'>,
  ) {
    this.requestResource = new ResourceCheck(this, request);
  }

  async check(partial: Omit<AuthorizationCheck, 'user'>): Promise<AuthzDecision> {
    try {
      return new AuthzDecision(await this.authorizer.authorize({ user: this.user, ...partial }));
    } catch (err) {
      return new AuthzDecision({
        decision: 'NoOpinion',
        reason: '',
        error: (err as Error).message,
      });
    }
  }
}

export function registerAuthzLibrary(env: Environment): Environment {
  return env
    .registerType('Authorizer', {
      ctor: AuthorizerValue,
      fields: { requestResource: 'ResourceCheck' },
    })
    .registerType('GroupCheck', GroupCheck)
    .registerType('ResourceCheck', ResourceCheck)
    .registerType('PathCheck', PathCheck)
    .registerType('Decision', AuthzDecision)
    .registerFunction(
      'Authorizer.group(string): GroupCheck',
      (a: AuthorizerValue, g: string) => new GroupCheck(a, g),
    )
    .registerFunction(
      'Authorizer.path(string): PathCheck',
      (a: AuthorizerValue, p: string) => new PathCheck(a, p),
    )
    .registerFunction(
      'Authorizer.serviceAccount(string, string): Authorizer',
      (a: AuthorizerValue, ns: string, name: string) =>
        new AuthorizerValue(
          {
            username: `system:serviceaccount:${ns}:${name}`,
            groups: ['system:serviceaccounts', `system:serviceaccounts:${ns}`],
          },
          a.authorizer,
          a.requestResource.attrs,
        ),
    )
    .registerFunction(
      'GroupCheck.resource(string): ResourceCheck',
      (g: GroupCheck, r: string) =>
        new ResourceCheck(g.authz, { group: g.group, resource: r, version: '*' }),
    )
    .registerFunction(
      'ResourceCheck.subresource(string): ResourceCheck',
      (r: ResourceCheck, s: string) => r.with({ subresource: s }),
    )
    .registerFunction(
      'ResourceCheck.namespace(string): ResourceCheck',
      (r: ResourceCheck, s: string) => r.with({ namespace: s }),
    )
    .registerFunction('ResourceCheck.name(string): ResourceCheck', (r: ResourceCheck, s: string) =>
      r.with({ name: s }),
    )
    .registerFunction('ResourceCheck.check(string): Decision', (r: ResourceCheck, verb: string) =>
      r.authz.check({ ...r.attrs, verb, resourceRequest: true }),
    )
    .registerFunction('PathCheck.check(string): Decision', (p: PathCheck, verb: string) =>
      p.authz.check({ path: p.path, verb, resourceRequest: false }),
    )
    .registerFunction(
      'Decision.allowed(): bool',
      (d: AuthzDecision) => d.result.decision === 'Allow',
    )
    .registerFunction('Decision.reason(): string', (d: AuthzDecision) => d.result.reason)
    .registerFunction(
      'Decision.errored(): bool',
      (d: AuthzDecision) => d.result.error !== undefined,
    )
    .registerFunction('Decision.error(): string', (d: AuthzDecision) => d.result.error ?? '');
}
