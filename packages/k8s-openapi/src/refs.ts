/** Prefixes of local references in swagger 2.0 and OpenAPI 3.0 documents. */
export const V2_REF_PREFIX = '#/definitions/';
export const V3_REF_PREFIX = '#/components/schemas/';

/**
 * The definition name a local $ref points at, or undefined for anything
 * else. Accepts both document styles (and a bare name) so the walker works on
 * built-in v2 definitions and on v3 schemas alike. Names are JSON-pointer
 * escaped in refs (RFC 6901), though kube's names never need it.
 */
export function refName(ref: string): string | undefined {
  let raw: string;
  if (ref.startsWith(V2_REF_PREFIX)) raw = ref.slice(V2_REF_PREFIX.length);
  else if (ref.startsWith(V3_REF_PREFIX)) raw = ref.slice(V3_REF_PREFIX.length);
  else if (!ref.includes('/')) raw = ref;
  else return undefined;
  return raw.replaceAll('~1', '/').replaceAll('~0', '~');
}

export const escapeRefName = (name: string): string =>
  name.replaceAll('~', '~0').replaceAll('/', '~1');

export const v2Ref = (name: string): string => V2_REF_PREFIX + escapeRefName(name);
export const v3Ref = (name: string): string => V3_REF_PREFIX + escapeRefName(name);
