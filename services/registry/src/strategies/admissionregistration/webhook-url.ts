// kube's webhook.ValidateWebhookURL and ValidateWebhookService (k8s.io/apiserver util/webhook).
import {
  type FieldError,
  invalid,
  isDNS1123Subdomain,
  isValidPortNum,
  required,
} from '@splitplane/apimachinery';
import { child } from '../internal/path.js';

const FORM = '; desired format: https://host[/path]';

interface ParsedUrl {
  scheme: string;
  user?: string;
  host: string;
  query: string;
  fragment: string;
}

/** The parts of a URL as Go's net/url.Parse splits them (lenient: no scheme is fine). */
function parseUrl(raw: string): ParsedUrl {
  let rest = raw;
  let fragment = '';
  const hash = rest.indexOf('#');
  if (hash >= 0) {
    fragment = rest.slice(hash + 1);
    rest = rest.slice(0, hash);
  }
  let scheme = '';
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(rest);
  if (m) {
    scheme = m[1]!.toLowerCase();
    rest = rest.slice(m[0].length);
  }
  let query = '';
  const q = rest.indexOf('?');
  if (q >= 0) {
    query = rest.slice(q + 1);
    rest = rest.slice(0, q);
  }
  let host = '';
  let user: string | undefined;
  if (rest.startsWith('//')) {
    const authority = rest.slice(2).split('/')[0]!;
    const at = authority.lastIndexOf('@');
    if (at >= 0) user = authority.slice(0, at);
    host = at >= 0 ? authority.slice(at + 1) : authority;
  }
  return { scheme, host, query, fragment, ...(user !== undefined ? { user } : {}) };
}

export function validateWebhookUrl(path: string, url: string): FieldError[] {
  const errs: FieldError[] = [];
  const u = parseUrl(url);
  if (u.scheme !== 'https') {
    errs.push(invalid(path, u.scheme, `'https' is the only allowed URL scheme${FORM}`));
  }
  if (u.host === '') errs.push(invalid(path, u.host, `host must be provided${FORM}`));
  if (u.user !== undefined) {
    errs.push(invalid(path, u.user, 'user information is not permitted in the URL'));
  }
  if (u.fragment !== '') {
    errs.push(invalid(path, u.fragment, 'fragments are not permitted in the URL'));
  }
  if (u.query !== '') {
    errs.push(invalid(path, u.query, 'query parameters are not permitted in the URL'));
  }
  return errs;
}

export function validateWebhookService(
  path: string,
  namespace: string,
  name: string,
  urlPath: string | undefined,
  port: number,
): FieldError[] {
  const errs: FieldError[] = [];
  if (name === '') errs.push(required(child(path, 'name'), 'service name is required'));
  if (namespace === '') {
    errs.push(required(child(path, 'namespace'), 'service namespace is required'));
  }
  const portErrs = isValidPortNum(port);
  if (portErrs.length > 0) {
    errs.push(invalid(child(path, 'port'), port, `port is not valid: ${portErrs.join(', ')}`));
  }
  if (urlPath === undefined || urlPath === '' || urlPath === '/') return errs;
  const p = child(path, 'path');
  if (urlPath === '//') return [...errs, invalid(p, urlPath, 'segment[0] may not be empty')];
  if (!urlPath.startsWith('/')) errs.push(invalid(p, urlPath, "must start with a '/'"));
  let check = urlPath.slice(1);
  if (check.endsWith('/')) check = check.slice(0, -1);
  check.split('/').forEach((step, i) => {
    if (step === '') {
      errs.push(invalid(p, urlPath, `segment[${i}] may not be empty`));
      return;
    }
    for (const f of isDNS1123Subdomain(step)) errs.push(invalid(p, urlPath, `segment[${i}]: ${f}`));
  });
  return errs;
}
