// kube's quota ResourceList arithmetic (k8s.io/apiserver/pkg/quota/v1/resources.go) over
// exact quantities: a sum keeps the left operand's format unless that side is zero, so
// "0" + "128Mi" prints as "256Mi" after another "128Mi", as kube's status shows.
import {
  compareQuantities,
  formatQuantity,
  sign,
  tryParseQuantity,
  type Quantity,
} from '@splitplane/apimachinery';

export type ResourceList = Record<string, Quantity>;

export const ZERO: Quantity = { digits: 0n, scale: 0, format: 'DecimalSI' };

export function quantityOf(n: number | bigint): Quantity {
  return normalize({ digits: BigInt(n), scale: 0, format: 'DecimalSI' });
}

function normalize(q: Quantity): Quantity {
  if (q.digits === 0n) return { digits: 0n, scale: 0, format: q.format };
  let { digits, scale } = q;
  while (digits % 10n === 0n) {
    digits /= 10n;
    scale += 1;
  }
  return { digits, scale, format: q.format };
}

export function addQuantities(a: Quantity, b: Quantity): Quantity {
  const scale = Math.min(a.scale, b.scale);
  const digits =
    a.digits * 10n ** BigInt(a.scale - scale) + b.digits * 10n ** BigInt(b.scale - scale);
  return normalize({ digits, scale, format: a.digits === 0n ? b.format : a.format });
}

export function negate(q: Quantity): Quantity {
  return { ...q, digits: -q.digits };
}

/** A ResourceList from JSON (status.used, spec.hard, container requests); bad values are skipped. */
export function parseResourceList(value: unknown): ResourceList {
  const out: ResourceList = {};
  if (!value || typeof value !== 'object' || Array.isArray(value)) return out;
  for (const [name, raw] of Object.entries(value as Record<string, unknown>)) {
    const q = tryParseQuantity(raw);
    if (q) out[name] = q;
  }
  return out;
}

/** The canonical JSON form, keys sorted as Go's map encoding sorts them. */
export function toJson(list: ResourceList): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of Object.keys(list).sort()) out[name] = formatQuantity(list[name]!);
  return out;
}

export function resourceNames(list: ResourceList): string[] {
  return Object.keys(list);
}

export function add(a: ResourceList, b: ResourceList): ResourceList {
  const out: ResourceList = { ...a };
  for (const [name, q] of Object.entries(b)) {
    const cur = out[name];
    out[name] = cur ? addQuantities(cur, q) : q;
  }
  return out;
}

export function subtract(a: ResourceList, b: ResourceList): ResourceList {
  const out: ResourceList = { ...a };
  for (const [name, q] of Object.entries(b)) {
    const cur = out[name];
    out[name] = cur ? addQuantities(cur, negate(q)) : negate(q);
  }
  return out;
}

/** a - b, with negative results replaced by zero (kube's SubtractWithNonNegativeResult). */
export function subtractNonNegative(a: ResourceList, b: ResourceList): ResourceList {
  const out: ResourceList = {};
  for (const [name, q] of Object.entries(subtract(a, b)))
    out[name] = sign(q) < 0 ? { ...ZERO, format: q.format } : q;
  return out;
}

/** Only the entries named in `names`. */
export function mask(list: ResourceList, names: Iterable<string>): ResourceList {
  const out: ResourceList = {};
  for (const name of names) if (Object.hasOwn(list, name)) out[name] = list[name]!;
  return out;
}

export function equals(a: ResourceList, b: ResourceList): boolean {
  const ak = Object.keys(a);
  if (ak.length !== Object.keys(b).length) return false;
  return ak.every((k) => Object.hasOwn(b, k) && compareQuantities(a[k]!, b[k]!) === 0);
}

/** Whether every entry of `a` that `b` also has is at most b's; the names that are over. */
export function lessThanOrEqual(
  a: ResourceList,
  b: ResourceList,
): { allowed: boolean; exceeded: string[] } {
  const exceeded: string[] = [];
  for (const [name, limit] of Object.entries(b)) {
    const v = a[name];
    if (v && compareQuantities(v, limit) > 0) exceeded.push(name);
  }
  return { allowed: exceeded.length === 0, exceeded };
}

export function removeZeros(list: ResourceList): ResourceList {
  const out: ResourceList = {};
  for (const [name, q] of Object.entries(list)) if (sign(q) !== 0) out[name] = q;
  return out;
}

export function isNegative(list: ResourceList): string[] {
  return Object.keys(list).filter((name) => sign(list[name]!) < 0);
}

/** "pods=1,requests.cpu=500m": kube's prettyPrint, names sorted. */
export function prettyPrint(list: ResourceList): string {
  return Object.keys(list)
    .sort()
    .map((name) => `${name}=${formatQuantity(list[name]!)}`)
    .join(',');
}

export function prettyPrintNames(names: Iterable<string>): string {
  return [...names].sort().join(',');
}

/** The larger of each entry (kube's quota.Max), for init-container requests. */
export function max(a: ResourceList, b: ResourceList): ResourceList {
  const out: ResourceList = { ...a };
  for (const [name, q] of Object.entries(b)) {
    const cur = out[name];
    if (!cur || compareQuantities(q, cur) > 0) out[name] = q;
  }
  return out;
}
