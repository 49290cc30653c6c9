// kube's anonymous authenticator: what a request with no credential at all becomes
// (--anonymous-auth, default true).
export { ANONYMOUS, ANONYMOUS_USER, UNAUTHENTICATED_GROUP } from './user.js';

// Paths kube's bootstrap policy (system:public-info-viewer) grants to every user, anonymous
// ones included.
const PUBLIC_PATHS = [/^\/(healthz|livez|readyz)(\/.*)?$/, /^\/version\/?$/];

/** GETs that kube's bootstrap policy (system:public-info-viewer) grants to every user. */
export function isPublicInfoPath(method: string, path: string): boolean {
  return (method === 'GET' || method === 'HEAD') && PUBLIC_PATHS.some((re) => re.test(path));
}
