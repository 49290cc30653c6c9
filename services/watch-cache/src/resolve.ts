// Resolves the resource a request names through the shared scheme; an unknown resource is
// kube's 404 for a path the server does not serve.
import { newPathNotFound } from '@splitplane/apimachinery';
import type { GroupVersionResource } from '@splitplane/proto';
import type { ResourceDefinition, Scheme } from '@splitplane/scheme';

export function resolveResource(
  scheme: Scheme,
  gvr: GroupVersionResource | undefined,
): ResourceDefinition {
  const def = gvr && scheme.resource(gvr.group, gvr.version, gvr.resource);
  if (!def) {
    throw newPathNotFound();
  }
  return def;
}
