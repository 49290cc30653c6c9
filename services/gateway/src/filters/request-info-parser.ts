// kube-apiserver's RequestInfo: what a URL addresses, derived from the path alone (plus the
// `watch` and `fieldSelector` query parameters), before authentication. Authorization,
// max-in-flight and routing all read it.

export interface RequestInfo {
  isResourceRequest: boolean;
  /** The full path, as authorization sees it for non-resource requests. */
  path: string;
  /** get, list, watch, create, update, patch, delete, deletecollection; the lower-case HTTP method for non-resource requests. */
  verb: string;
  apiPrefix: string;
  apiGroup: string;
  apiVersion: string;
  namespace: string;
  resource: string;
  subresource: string;
  name: string;
  /** The path segments from the resource on. */
  parts: string[];
}

export class RequestInfoError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'RequestInfoError';
  }
}

const API_PREFIXES = new Set(['api', 'apis']);
/** Prefixes whose paths carry no group segment (/api/v1/...). */
const GROUPLESS_PREFIXES = new Set(['api']);
/** Segments that name a verb rather than a resource (/api/v1/watch/pods). */
const SPECIAL_VERBS = new Set(['proxy', 'watch']);
/** Special verbs whose trailing segments are not a subresource. */
const SPECIAL_VERBS_NO_SUBRESOURCES = new Set(['proxy']);
/** Subresources of a namespace object, so /namespaces/x/status is the namespace's status. */
const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

const METHOD_VERBS: Record<string, string> = {
  POST: 'create',
  GET: 'get',
  HEAD: 'get',
  PUT: 'update',
  PATCH: 'patch',
  DELETE: 'delete',
};

/** Parses `method` + `url` (path with optional query) the way kube's RequestInfoFactory does. */
export function parseRequestInfo(method: string, url: string): RequestInfo {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const query = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
  const info: RequestInfo = {
    isResourceRequest: false,
    path,
    verb: method.toLowerCase(),
    apiPrefix: '',
    apiGroup: '',
    apiVersion: '',
    namespace: '',
    resource: '',
    subresource: '',
    name: '',
    parts: [],
  };

  let parts = splitPath(path);
  if (parts.length < 1 || !API_PREFIXES.has(parts[0]!)) return info;
  info.apiPrefix = parts[0]!;
  parts = parts.slice(1);

  if (!GROUPLESS_PREFIXES.has(info.apiPrefix)) {
    // /apis alone is discovery, a non-resource request.
    if (parts.length < 1) return info;
    info.apiGroup = parts[0]!;
    parts = parts.slice(1);
  }
  // /api and /apis/<group> without a version are discovery too.
  if (parts.length < 1) return info;
  info.apiVersion = parts[0]!;
  parts = parts.slice(1);
  info.isResourceRequest = true;

  if (parts.length > 0 && SPECIAL_VERBS.has(parts[0]!)) {
    if (parts.length < 2) {
      throw new RequestInfoError(`unable to determine kind and namespace from url, ${url}`);
    }
    info.verb = parts[0]!;
    parts = parts.slice(1);
  } else {
    info.verb = METHOD_VERBS[method.toUpperCase()] ?? '';
  }

  if (parts[0] === 'namespaces') {
    if (parts.length > 1) {
      info.namespace = parts[1]!;
      // /namespaces/<ns>/<resource>/...: continue relative to the resource. /namespaces/<ns>
      // and /namespaces/<ns>/status address the namespace object itself.
      if (parts.length > 2 && !NAMESPACE_SUBRESOURCES.has(parts[2]!)) parts = parts.slice(2);
    }
  }
  info.parts = parts;

  if (parts.length >= 3 && !SPECIAL_VERBS_NO_SUBRESOURCES.has(info.verb))
    info.subresource = parts[2]!;
  if (parts.length >= 2) info.name = parts[1]!;
  if (parts.length >= 1) info.resource = parts[0]!;

  // A GET without a name is a list, or a watch when ?watch says so.
  if (!info.name && info.verb === 'get') {
    info.verb = watchRequested(query) ? 'watch' : 'list';
    const name = exactName(query.get('fieldSelector'));
    if (name !== undefined && isValidPathSegmentName(name)) info.name = name;
  }
  if (!info.name && info.verb === 'delete') info.verb = 'deletecollection';
  return info;
}

function splitPath(path: string): string[] {
  const trimmed = path.replace(/^\/+|\/+$/g, '');
  return trimmed ? trimmed.split('/') : [];
}

/** `watch` as Go's strconv.ParseBool reads it; an unparseable value counts as a watch, as in kube. */
function watchRequested(query: URLSearchParams): boolean {
  const raw = query.get('watch');
  if (raw === null) return false;
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(raw)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False', ''].includes(raw)) return false;
  return !['false', '0'].includes(raw.toLowerCase());
}

/** The name a `metadata.name=<x>` (or `==`) field selector pins, if it pins exactly one. */
function exactName(selector: string | null): string | undefined {
  if (!selector) return undefined;
  for (const term of selector.split(',')) {
    const m = /^\s*metadata\.name\s*(==|=)\s*(.*?)\s*$/.exec(term);
    if (m) return m[2];
  }
  return undefined;
}

/** kube's path.IsValidPathSegmentName: not "." or "..", no "/" or "%". */
export function isValidPathSegmentName(name: string): boolean {
  return name !== '.' && name !== '..' && !name.includes('/') && !name.includes('%');
}

const LONG_RUNNING_VERBS = new Set(['watch', 'proxy']);
const LONG_RUNNING_SUBRESOURCES = new Set(['attach', 'exec', 'proxy', 'log', 'portforward']);

/** Verbs whose requests run for as long as the client keeps them (exempt from timeouts and in-flight limits). */
export function isLongRunning(info: RequestInfo): boolean {
  if (!info.isResourceRequest) return false;
  return LONG_RUNNING_VERBS.has(info.verb) || LONG_RUNNING_SUBRESOURCES.has(info.subresource);
}

const READONLY_VERBS = new Set(['get', 'list', 'watch']);

export function isReadOnly(info: RequestInfo): boolean {
  return READONLY_VERBS.has(info.verb);
}
