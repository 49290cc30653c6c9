// Kubernetes resource quantities ("100m", "1Gi", "1e3", "0.5"): parsing, comparison and
// the canonical form kube-apiserver stores (k8s.io/apimachinery/pkg/api/resource).
// A value is kept exactly as an integer times a power of ten.

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

export interface Quantity {
  /** value = digits * 10^scale, exactly. */
  readonly digits: bigint;
  readonly scale: number;
  readonly format: QuantityFormat;
}

export class QuantityParseError extends Error {
  constructor(
    readonly input: string,
    options?: ErrorOptions,
  ) {
    super(QUANTITY_FORMAT_MESSAGE, options);
    this.name = 'QuantityParseError';
  }
}

/** kube's ErrFormatWrong text, which clients see for a malformed quantity. */
export const QUANTITY_FORMAT_MESSAGE =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

const DECIMAL_SUFFIX: Record<string, number> = {
  n: -9,
  u: -6,
  m: -3,
  '': 0,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};
const BINARY_SUFFIX: Record<string, number> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const SHAPE = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(.*)$/;
// Values below one nano round up to it, as kube's parser does.
const MIN_SCALE = -9;

export function parseQuantity(input: string | number): Quantity {
  const s = typeof input === 'number' ? String(input) : input;
  const m = SHAPE.exec(s.trim() === s ? s : '\0');
  if (!m || (m[2] === '' && (m[3] === undefined || m[3] === ''))) throw new QuantityParseError(s);
  const [, sign, whole = '', frac = '', suffix = ''] = m;
  let digits = BigInt((whole || '0') + frac);
  let scale = -frac.length;
  let format: QuantityFormat;
  if (suffix in BINARY_SUFFIX) {
    digits *= 1024n ** BigInt(BINARY_SUFFIX[suffix]!);
    format = 'BinarySI';
  } else if (suffix in DECIMAL_SUFFIX) {
    scale += DECIMAL_SUFFIX[suffix]!;
    format = 'DecimalSI';
  } else if (/^[eE][+-]?[0-9]+$/.test(suffix)) {
    scale += Number(suffix.slice(1));
    format = 'DecimalExponent';
  } else {
    throw new QuantityParseError(s);
  }
  if (sign === '-') digits = -digits;
  return normalize({ digits, scale, format });
}

/** parseQuantity without throwing. */
export function tryParseQuantity(input: unknown): Quantity | undefined {
  if (typeof input !== 'string' && typeof input !== 'number') return undefined;
  try {
    return parseQuantity(input);
  } catch {
    return undefined;
  }
}

function normalize(q: Quantity): Quantity {
  let { digits, scale } = q;
  if (scale < MIN_SCALE) {
    const div = 10n ** BigInt(MIN_SCALE - scale);
    const neg = digits < 0n;
    const abs = neg ? -digits : digits;
    let r = abs / div;
    if (abs % div !== 0n) r += 1n;
    digits = neg ? -r : r;
    scale = MIN_SCALE;
  }
  if (digits === 0n) return { digits: 0n, scale: 0, format: q.format };
  while (digits % 10n === 0n) {
    digits /= 10n;
    scale += 1;
  }
  return { digits, scale, format: q.format };
}

/** -1, 0 or 1 as a is less than, equal to or greater than b. */
export function compareQuantities(a: Quantity, b: Quantity): number {
  const s = Math.min(a.scale, b.scale);
  const av = a.digits * 10n ** BigInt(a.scale - s);
  const bv = b.digits * 10n ** BigInt(b.scale - s);
  return av < bv ? -1 : av > bv ? 1 : 0;
}

export function sign(q: Quantity): number {
  return q.digits < 0n ? -1 : q.digits > 0n ? 1 : 0;
}

/** Value in thousandths, rounded up, as Quantity.MilliValue. */
export function milliValue(q: Quantity): bigint {
  const s = q.scale + 3;
  if (s >= 0) return q.digits * 10n ** BigInt(s);
  const div = 10n ** BigInt(-s);
  const r = q.digits / div;
  return q.digits % div !== 0n && q.digits > 0n ? r + 1n : r;
}

export function isInteger(q: Quantity): boolean {
  return q.scale >= 0;
}

/** The canonical text kube-apiserver writes back ("0.5" -> "500m", "1024Mi" -> "1Gi"). */
export function formatQuantity(q: Quantity): string {
  if (q.digits === 0n) return '0';
  const neg = q.digits < 0n;
  const abs = neg ? -q.digits : q.digits;
  let text: string;
  if (q.format === 'BinarySI' && q.scale >= 0) {
    const v = abs * 10n ** BigInt(q.scale);
    if (v >= 1024n) {
      let k = 0;
      let m = v;
      while (k < 6 && m % 1024n === 0n) {
        m /= 1024n;
        k += 1;
      }
      const suffix = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'][k]!;
      return (neg ? '-' : '') + m.toString() + suffix;
    }
  }
  // Decimal: exponent floored to a multiple of three.
  let digits = abs;
  let scale = q.scale;
  const rem = ((scale % 3) + 3) % 3;
  digits *= 10n ** BigInt(rem);
  scale -= rem;
  if (q.format === 'DecimalExponent') {
    text = scale === 0 ? digits.toString() : `${digits}e${scale}`;
  } else {
    while (scale > 18) {
      digits *= 1000n;
      scale -= 3;
    }
    const suffix = Object.entries(DECIMAL_SUFFIX).find(([, e]) => e === scale)![0];
    text = digits.toString() + suffix;
  }
  return (neg ? '-' : '') + text;
}

/** Canonical text of a quantity string, or the input unchanged when it does not parse. */
export function canonicalQuantity(input: unknown): unknown {
  const q = tryParseQuantity(input);
  return q ? formatQuantity(q) : input;
}
