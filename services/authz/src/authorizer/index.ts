export type { Attributes, AuthorizationResult, Authorizer, Decision } from './authorizer.js';
export { AlwaysAllowAuthorizer, AlwaysDenyAuthorizer } from './always.js';
export { UnionAuthorizer } from './union.js';
export {
  AUTHORIZATION_MODES,
  ModeConfigurationError,
  UnsupportedModeError,
  authorizerChain,
  authorizerForModes,
  type AuthorizerChain,
  type ModeDependencies,
} from './modes.js';
