export type { Attributes, AuthorizationResult, Authorizer, Decision } from './authorizer.js';
export { AlwaysAllowAuthorizer, AlwaysDenyAuthorizer } from './always.js';
export { UnionAuthorizer } from './union.js';
export { authorizerForModes, UnsupportedModeError } from './modes.js';
