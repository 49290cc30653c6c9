const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

/** Validity window starting an hour in the past, so small clock skew between processes never bites. */
export function validityWindow(
  days: number,
  now = new Date(),
): { notBefore: Date; notAfter: Date } {
  return {
    notBefore: new Date(now.getTime() - HOUR_MS),
    notAfter: new Date(now.getTime() + days * DAY_MS),
  };
}

export const CA_VALIDITY_DAYS = 3650;
export const LEAF_VALIDITY_DAYS = 365;
