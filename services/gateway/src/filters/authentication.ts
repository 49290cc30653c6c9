// Moved to ../authn/ (issue #4). Kept so the authorization filter's import still resolves.
export { isPublicInfoPath } from '../authn/anonymous.js';
