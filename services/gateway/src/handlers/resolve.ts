// Maps a RequestInfo onto a served resource through the Scheme, answering exactly as kube's
// routes do: unknown group/version/resource/subresource or a scope that has no route -> 404
// "the server could not find the requested resource"; a verb the resource does not serve ->
// 405.
import { newMethodNotSupported, newPathNotFound } from '@splitplane/apimachinery';
import type { ResourceDefinition, Scheme, Verb } from '@splitplane/scheme';
import type { RequestInfo } from '../filters/request-info-parser.js';
import { isConnectSubresource } from './connect.js';

const SUBRESOURCE_VERBS = new Set(['get', 'update', 'patch']);

export function resolveResource(scheme: Scheme, info: RequestInfo): ResourceDefinition {
  if (!info.resource || info.parts.length > 3) throw newPathNotFound();
  const def = scheme.resource(info.apiGroup, info.apiVersion, info.resource);
  if (!def) throw newPathNotFound();
  const gr = { group: def.group, resource: def.plural };

  if (info.subresource && isConnectSubresource(def, info.subresource)) {
    // kube routes connect subresources for GET and POST only, on a named pod in a namespace.
    if (!info.namespace || !info.name) throw newPathNotFound();
    if (info.verb !== 'get' && info.verb !== 'create') throw newMethodNotSupported(gr, info.verb);
    return def;
  }
  if (info.subresource) {
    const known =
      (info.subresource === 'status' && def.subresources.status) ||
      (info.subresource === 'scale' && def.subresources.scale);
    if (!known) throw newPathNotFound();
    if (!SUBRESOURCE_VERBS.has(info.verb)) throw newMethodNotSupported(gr, info.verb);
    return def;
  }

  // Scope: namespaced resources have no per-name routes outside a namespace; cluster-scoped
  // ones have none inside (the namespaces resource addresses itself as /namespaces/<name>).
  // (A name from a metadata.name field selector on a list is not a path segment.)
  const namedInPath = info.parts.length >= 2;
  if (def.namespaced && !info.namespace) {
    if (namedInPath) throw newPathNotFound();
    if (info.verb !== 'list' && info.verb !== 'watch') throw newMethodNotSupported(gr, info.verb);
  }
  if (!def.namespaced && info.namespace && def.plural !== 'namespaces') throw newPathNotFound();

  if (!def.verbs.includes(info.verb as Verb))
    throw newMethodNotSupported(gr, info.verb || 'method');
  return def;
}
