// Container resource requirements, after kube's ValidateResourceRequirements and
// validateContainerResourceName / validateResourceQuantityValue.
import { type FieldError, invalid, required } from '@splitplane/apimachinery';
import { type JsonObject, isObject } from '../internal/json.js';
import { each, isQualifiedName } from '../internal/meta.js';
import { child, key } from '../internal/path.js';
import {
  QUANTITY_FORMAT_MESSAGE,
  type Quantity,
  compareQuantities,
  formatQuantity,
  milliValue,
  sign,
  tryParseQuantity,
} from '@splitplane/apimachinery';

const STANDARD_CONTAINER_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage']);

const isHugePages = (name: string) => name.startsWith('hugepages-');
const isNative = (name: string) => !name.includes('/') || name.includes('kubernetes.io/');
/** Extended resources (vendor-domain names) and hugepages can't be overcommitted. */
const overcommitAllowed = (name: string) => isNative(name) && !isHugePages(name);
const isExtended = (name: string) =>
  !isNative(name) &&
  !name.startsWith('requests.') &&
  isQualifiedName(`requests.${name}`).length === 0;

export function validateContainerResourceName(name: string, path: string): FieldError[] {
  const errs = each(path, name, isQualifiedName(name));
  if (errs.length) return errs;
  if (!name.includes('/')) {
    if (!STANDARD_CONTAINER_RESOURCES.has(name) && !isHugePages(name)) {
      errs.push(invalid(path, name, 'must be a standard resource for containers'));
    }
  } else if (!isNative(name) && !isExtended(name)) {
    errs.push(invalid(path, name, "doesn't follow extended resource name standard"));
  }
  return errs;
}

/** Parses a quantity field, reporting kube's format error when it does not parse. */
export function quantityAt(value: unknown, path: string, errs: FieldError[]): Quantity | undefined {
  const q = tryParseQuantity(value);
  if (!q) errs.push(invalid(path, value, QUANTITY_FORMAT_MESSAGE));
  return q;
}

export function validateNonnegativeQuantity(q: Quantity, path: string): FieldError[] {
  return sign(q) < 0
    ? [invalid(path, formatQuantity(q), 'must be greater than or equal to 0')]
    : [];
}

function validateQuantityValue(name: string, q: Quantity, path: string): FieldError[] {
  const errs = validateNonnegativeQuantity(q, path);
  if (isExtended(name) && milliValue(q) % 1000n !== 0n) {
    errs.push(invalid(path, formatQuantity(q), 'must be an integer'));
  }
  return errs;
}

export function validateResourceRequirements(resources: unknown, path: string): FieldError[] {
  if (!isObject(resources)) return [];
  const errs: FieldError[] = [];
  const limPath = child(path, 'limits');
  const reqPath = child(path, 'requests');
  const limits = new Map<string, Quantity>();
  const rawLimits: JsonObject = isObject(resources['limits']) ? resources['limits'] : {};
  const rawRequests: JsonObject = isObject(resources['requests']) ? resources['requests'] : {};
  for (const [name, raw] of Object.entries(rawLimits)) {
    const p = key(limPath, name);
    errs.push(...validateContainerResourceName(name, p));
    const q = quantityAt(raw, p, errs);
    if (!q) continue;
    errs.push(...validateQuantityValue(name, q, p));
    limits.set(name, q);
  }
  for (const [name, raw] of Object.entries(rawRequests)) {
    const p = key(reqPath, name);
    errs.push(...validateContainerResourceName(name, p));
    const q = quantityAt(raw, p, errs);
    if (!q) continue;
    errs.push(...validateQuantityValue(name, q, p));
    const limit = limits.get(name);
    if (!overcommitAllowed(name)) {
      if (!(name in rawLimits)) {
        errs.push(required(limPath, 'Limit must be set for non overcommitable resources'));
      } else if (limit && compareQuantities(q, limit) !== 0) {
        errs.push(
          invalid(
            reqPath,
            formatQuantity(q),
            `must be equal to ${name} limit of ${formatQuantity(limit)}`,
          ),
        );
      }
    } else if (limit && compareQuantities(q, limit) > 0) {
      errs.push(
        invalid(
          reqPath,
          formatQuantity(q),
          `must be less than or equal to ${name} limit of ${formatQuantity(limit)}`,
        ),
      );
    }
  }
  return errs;
}
