// Go duration strings ("5m0s", "30s", "1h", "250ms") as kube's duration flags take them.
export class DurationParseError extends Error {
  constructor(value: string) {
    super(`invalid duration ${JSON.stringify(value)}: expected a Go duration such as 5m0s or 30s`);
    this.name = 'DurationParseError';
  }
}

const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
};

/** Milliseconds. A plain number is taken as milliseconds already. */
export function parseDuration(value: string | number): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) throw new DurationParseError(String(value));
    return value;
  }
  const s = value.trim();
  if (s === '0') return 0;
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/y;
  let total = 0;
  let matched = 0;
  while (re.lastIndex < s.length) {
    const start = re.lastIndex;
    const m = re.exec(s);
    if (!m || m.index !== start) throw new DurationParseError(value);
    total += Number(m[1]) * UNIT_MS[m[2]!]!;
    matched++;
  }
  if (matched === 0) throw new DurationParseError(value);
  return total;
}
