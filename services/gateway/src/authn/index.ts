// Gateway authentication: kube's authenticator union and the pieces the token APIs reuse.
export {
  type Authentication,
  type AuthenticationOptions,
  type RequestHeaderFlags,
  buildAuthentication,
} from './build.js';
export { authenticationFilter } from './filter.js';
export { RequestAuthentication, type RequestAuthenticationOptions } from './union.js';
export {
  AuthenticationError,
  type AuthResult,
  type RequestAuthenticator,
  type TokenAuthenticator,
  intersectAudiences,
} from './types.js';
export { isPublicInfoPath } from './anonymous.js';
export {
  ANONYMOUS,
  ANONYMOUS_USER,
  AUTHENTICATED_GROUP,
  UNAUTHENTICATED_GROUP,
  freezeUser,
  makeUser,
  userInfoJson,
  withAuthenticatedGroup,
} from './user.js';
export { type ObjectGetter, type ObjectRef, WatchCacheObjectGetter } from './object-getter.js';
export { TokenSigner, type BoundTokenRequest, type SignedToken } from './token-signer.js';
export {
  type KubernetesClaim,
  EXTRA_CREDENTIAL_ID,
  EXTRA_POD_NAME,
  EXTRA_POD_UID,
  serviceAccountUsername,
} from './service-account-claims.js';
export { KeyFileError, algorithmFor, keyIdFor, loadPublicKeys, loadSigningKey } from './keys.js';
export { parseTokenFile, TokenFileError } from './token-file.js';
export { usernamePrefixFor } from './oidc.js';
export { authenticationFromFlags, AuthenticationFlagError } from './flags.js';
