// Kubernetes CEL URL library (k8s.io/apiserver/pkg/cel/library/urls.go). url() accepts what
// Go's url.ParseRequestURI accepts: an absolute URL, or an absolute path.
import type { Environment } from '@marcbachmann/cel-js';
import { CelFunctionError } from '../errors.js';

export class KubeURL {
  constructor(
    readonly scheme: string,
    readonly host: string,
    readonly escapedPath: string,
    readonly rawQuery: string,
  ) {}

  static parse(text: string): KubeURL {
    const u = KubeURL.tryParse(text);
    if (!u)
      throw new CelFunctionError(
        `URL parse error during conversion from string: parse "${text}": invalid URI for request`,
      );
    return u;
  }

  static tryParse(text: string): KubeURL | undefined {
    if (/[\s\x00-\x1f\x7f]/.test(text) || text.includes('#')) return undefined;
    if (text.startsWith('/')) {
      const q = text.indexOf('?');
      return new KubeURL('', '', q < 0 ? text : text.slice(0, q), q < 0 ? '' : text.slice(q + 1));
    }
    const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):(.*)$/.exec(text);
    if (!m) return undefined;
    const rest = m[2]!;
    const q = rest.indexOf('?');
    const beforeQuery = q < 0 ? rest : rest.slice(0, q);
    const query = q < 0 ? '' : rest.slice(q + 1);
    if (!beforeQuery.startsWith('//')) return new KubeURL(m[1]!, '', beforeQuery, query);
    const authorityEnd = beforeQuery.indexOf('/', 2);
    let authority = authorityEnd < 0 ? beforeQuery.slice(2) : beforeQuery.slice(2, authorityEnd);
    const path = authorityEnd < 0 ? '' : beforeQuery.slice(authorityEnd);
    const at = authority.lastIndexOf('@');
    if (at >= 0) authority = authority.slice(at + 1);
    if (authority.startsWith('[') && !/^\[[0-9a-fA-F:.%a-zA-Z]+\](:\d*)?$/.test(authority))
      return undefined;
    if (!authority.startsWith('[') && !/^[^:[\]]*(:\d*)?$/.test(authority)) return undefined;
    return new KubeURL(m[1]!, authority, path, query);
  }

  get hostname(): string {
    if (this.host.startsWith('[')) return this.host.slice(1, this.host.indexOf(']'));
    const c = this.host.lastIndexOf(':');
    return c < 0 ? this.host : this.host.slice(0, c);
  }

  get port(): string {
    const close = this.host.lastIndexOf(']');
    const c = this.host.lastIndexOf(':');
    return c > close ? this.host.slice(c + 1) : '';
  }

  query(): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const [k, v] of new URLSearchParams(this.rawQuery)) (out[k] ??= []).push(v);
    return out;
  }
}

export function registerUrlLibrary(env: Environment): Environment {
  return env
    .registerType('URL', KubeURL)
    .registerFunction('url(string): URL', (s: string) => KubeURL.parse(s))
    .registerFunction('isURL(string): bool', (s: string) => KubeURL.tryParse(s) !== undefined)
    .registerFunction('URL.getScheme(): string', (u: KubeURL) => u.scheme)
    .registerFunction('URL.getHost(): string', (u: KubeURL) => u.host)
    .registerFunction('URL.getHostname(): string', (u: KubeURL) => u.hostname)
    .registerFunction('URL.getPort(): string', (u: KubeURL) => u.port)
    .registerFunction('URL.getEscapedPath(): string', (u: KubeURL) => u.escapedPath)
    .registerFunction('URL.getQuery(): map<string, list<string>>', (u: KubeURL) => u.query());
}
