// Builds the cache's form of an object: reply bytes plus what selectors need. The parsed
// object is dropped right away so the cache holds one copy of each object (its bytes).
import { fieldAttributes } from '@splitplane/apimachinery';
import type { KubeObject } from '@splitplane/scheme';
import type { ParsedKey } from './key-router.js';
import type { CachedObject } from './types.js';

const NO_LABELS: Readonly<Record<string, string>> = Object.freeze({});

/** `json` already carries metadata.resourceVersion = rv (jsonWithResourceVersion). */
export function cachedObject(
  key: string,
  parsed: ParsedKey,
  json: Buffer,
  rv: bigint,
): CachedObject {
  const obj = JSON.parse(json.toString('utf8')) as KubeObject;
  const labels = obj.metadata?.labels;
  return {
    key,
    namespace: parsed.namespace,
    name: parsed.name,
    rv,
    json,
    labels: labels && Object.keys(labels).length > 0 ? labels : NO_LABELS,
    fields: fieldAttributes(parsed.route.def, obj as Record<string, unknown>),
  };
}
