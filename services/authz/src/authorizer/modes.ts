// Builds the authorizer chain from --authorization-mode.
import { AlwaysAllowAuthorizer, AlwaysDenyAuthorizer } from './always.js';
import type { Authorizer } from './authorizer.js';
import { UnionAuthorizer } from './union.js';

export class UnsupportedModeError extends Error {
  constructor(mode: string) {
    super(
      `authorization mode "${mode}" is not supported yet (RBAC, Node and Webhook arrive with issue #4); supported: AlwaysAllow, AlwaysDeny`,
    );
    this.name = 'UnsupportedModeError';
  }
}

const factories: Record<string, () => Authorizer> = {
  AlwaysAllow: () => new AlwaysAllowAuthorizer(),
  AlwaysDeny: () => new AlwaysDenyAuthorizer(),
};

export function authorizerForModes(modes: string[]): Authorizer {
  if (modes.length === 0) throw new UnsupportedModeError('(none)');
  return new UnionAuthorizer(
    modes.map((mode) => {
      const factory = factories[mode];
      if (!factory) throw new UnsupportedModeError(mode);
      return factory();
    }),
  );
}
