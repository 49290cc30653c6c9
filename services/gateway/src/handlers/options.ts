// Query parameters -> typed options, validated as kube validates Create/Update/Patch/
// List/DeleteOptions. Parameter syntax errors are 400 BadRequest; semantic ones 422 Invalid
// on the options kind (`CreateOptions.meta.k8s.io "" is invalid: ...`), as kube answers.
import {
  type FieldError,
  FieldSelectorParseError,
  SelectorParseError,
  parseFieldSelector,
  invalid,
  newBadRequest,
  newInvalid,
  notSupported,
  parseSelector,
  tooLong,
} from '@splitplane/apimachinery';
import type { ListOptions } from '@splitplane/proto';

export type OptionsKind =
  'CreateOptions' | 'UpdateOptions' | 'PatchOptions' | 'DeleteOptions' | 'ListOptions';

export interface WriteOptions {
  dryRun: boolean;
  fieldManager: string;
  fieldValidation: string;
}

const FIELD_VALIDATION_VALUES = ['', 'Ignore', 'Strict', 'Warn'];

export function writeOptions(query: URLSearchParams, kind: OptionsKind): WriteOptions {
  const dryRun = query.getAll('dryRun');
  const fieldManager = query.get('fieldManager') ?? '';
  const fieldValidation = query.get('fieldValidation') ?? '';
  const errs: FieldError[] = [...validateDryRun(dryRun)];
  if (kind !== 'DeleteOptions') {
    errs.push(...validateFieldManager(fieldManager));
    if (!FIELD_VALIDATION_VALUES.includes(fieldValidation)) {
      errs.push(notSupported('fieldValidation', fieldValidation, FIELD_VALIDATION_VALUES));
    }
  }
  if (errs.length) throw newInvalid({ group: 'meta.k8s.io', kind }, '', errs);
  return { dryRun: dryRun.includes('All'), fieldManager, fieldValidation };
}

export function validateDryRun(values: string[]): FieldError[] {
  return values.every((v) => v === 'All') ? [] : [notSupported('dryRun', values, ['All'])];
}

function validateFieldManager(manager: string): FieldError[] {
  if (manager.length > 128) return [tooLong('fieldManager', 128)];
  // kube: printable ASCII only.
  if (/[^\x20-\x7e]/.test(manager))
    return [
      invalid('fieldManager', manager, 'FieldManager must only contain printable characters'),
    ];
  return [];
}

/** ListOptions from the query; selectors are parsed so a bad one is a 400 here. */
export function listOptions(query: URLSearchParams): ListOptions {
  const labelSelector = query.get('labelSelector') ?? '';
  const fieldSelector = query.get('fieldSelector') ?? '';
  if (labelSelector) {
    try {
      parseSelector(labelSelector);
    } catch (err) {
      if (err instanceof SelectorParseError) throw err.toStatusError();
      throw err;
    }
  }
  if (fieldSelector) {
    // Syntax only; which field keys a resource supports is the watch-cache's call.
    try {
      parseFieldSelector(fieldSelector);
    } catch (err) {
      if (err instanceof FieldSelectorParseError) throw err.toStatusError();
      throw err;
    }
  }
  const sendInitialEvents = optionalBool(query, 'sendInitialEvents');
  const options: ListOptions = {
    labelSelector,
    fieldSelector,
    resourceVersion: query.get('resourceVersion') ?? '',
    resourceVersionMatch: query.get('resourceVersionMatch') ?? '',
    limit: int64(query, 'limit'),
    continue: query.get('continue') ?? '',
    allowWatchBookmarks: optionalBool(query, 'allowWatchBookmarks') ?? false,
    timeoutSeconds: int64(query, 'timeoutSeconds'),
  };
  if (sendInitialEvents !== undefined) options.sendInitialEvents = sendInitialEvents;
  return options;
}

/** int64 query parameter as the decimal string proto carries ("0" when absent). */
export function int64(query: URLSearchParams, name: string): string {
  const raw = query.get(name);
  if (raw === null || raw === '') return '0';
  if (!/^[+-]?\d+$/.test(raw))
    throw newBadRequest(`strconv.ParseInt: parsing ${JSON.stringify(raw)}: invalid syntax`);
  const n = BigInt(raw);
  if (n > 9223372036854775807n || n < -9223372036854775808n) {
    throw newBadRequest(`strconv.ParseInt: parsing ${JSON.stringify(raw)}: value out of range`);
  }
  return n.toString();
}

/** Go's strconv.ParseBool. */
export function optionalBool(query: URLSearchParams, name: string): boolean | undefined {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(raw)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(raw)) return false;
  throw newBadRequest(`strconv.ParseBool: parsing ${JSON.stringify(raw)}: invalid syntax`);
}
