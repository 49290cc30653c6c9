// Builds the authorizer chain from --authorization-mode, with what SelfSubjectRulesReview
// asks of it. As kube-apiserver does, system:masters is allowed before any mode is asked.
import { createWebhookAuthorizer, type WebhookFlagValues } from '../webhook/index.js';
import { RbacAuthorizer } from '../rbac/rbac-authorizer.js';
import type { RbacView } from '../rbac/rbac-view.js';
import {
  ALWAYS_ALLOW_RULES,
  NO_RULES,
  UnionRuleResolver,
  unenumerableRules,
  type RuleResolver,
} from '../rbac/rules-review.js';
import { SYSTEM_MASTERS } from '../rbac/types.js';
import { AlwaysAllowAuthorizer, AlwaysDenyAuthorizer } from './always.js';
import type { AuthorizationResult, Authorizer, Attributes } from './authorizer.js';
import { UnionAuthorizer } from './union.js';

export const AUTHORIZATION_MODES = ['RBAC', 'Webhook', 'AlwaysAllow', 'AlwaysDeny'] as const;

export class UnsupportedModeError extends Error {
  constructor(mode: string) {
    super(
      `authorization mode "${mode}" is not supported; supported: ${AUTHORIZATION_MODES.join(', ')}`,
    );
    this.name = 'UnsupportedModeError';
  }
}

export class ModeConfigurationError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ModeConfigurationError';
  }
}

export interface ModeDependencies {
  /** The RBAC objects; required by the RBAC mode. */
  rbac?: RbacView;
  /** The --authorization-webhook-* flags; required by the Webhook mode. */
  webhook?: WebhookFlagValues;
}

export interface AuthorizerChain {
  authorizer: Authorizer;
  /** What RulesReview asks: the rules of every mode that can enumerate them. */
  rules: RuleResolver;
}

/** kube's privileged-groups authorizer: members of system:masters may do anything. */
class PrivilegedGroupsAuthorizer implements Authorizer {
  async authorize(attributes: Attributes): Promise<AuthorizationResult> {
    if (attributes.user.groups.includes(SYSTEM_MASTERS)) return { decision: 'Allow', reason: '' };
    return { decision: 'NoOpinion', reason: '' };
  }
}

function mode(
  name: string,
  deps: ModeDependencies,
): { authorizer: Authorizer; rules: RuleResolver } {
  switch (name) {
    case 'AlwaysAllow':
      return { authorizer: new AlwaysAllowAuthorizer(), rules: ALWAYS_ALLOW_RULES };
    case 'AlwaysDeny':
      return { authorizer: new AlwaysDenyAuthorizer(), rules: NO_RULES };
    case 'RBAC': {
      if (!deps.rbac) {
        throw new ModeConfigurationError(
          'the RBAC mode needs --watch-cache-address and --nats-servers',
        );
      }
      const rbac = new RbacAuthorizer(deps.rbac);
      return { authorizer: rbac, rules: rbac };
    }
    case 'Webhook': {
      if (!deps.webhook?.configFile) {
        throw new ModeConfigurationError(
          'the Webhook mode needs --authorization-webhook-config-file',
        );
      }
      return {
        authorizer: createWebhookAuthorizer(deps.webhook),
        rules: unenumerableRules('webhook'),
      };
    }
    default:
      throw new UnsupportedModeError(name);
  }
}

export function authorizerChain(modes: string[], deps: ModeDependencies = {}): AuthorizerChain {
  if (modes.length === 0) throw new UnsupportedModeError('(none)');
  if (new Set(modes).size !== modes.length) {
    throw new ModeConfigurationError(`--authorization-mode lists a mode twice: ${modes.join(',')}`);
  }
  const built = modes.map((m) => mode(m, deps));
  return {
    authorizer: new UnionAuthorizer([
      new PrivilegedGroupsAuthorizer(),
      ...built.map((b) => b.authorizer),
    ]),
    rules: new UnionRuleResolver(built.map((b) => b.rules)),
  };
}

export function authorizerForModes(modes: string[], deps: ModeDependencies = {}): Authorizer {
  return authorizerChain(modes, deps).authorizer;
}
