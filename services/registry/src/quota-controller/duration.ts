// Go duration text ("5m0s", "30s", "1m30s", "250ms"), as kube's duration flags take it.
const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

export class DurationParseError extends Error {
  constructor(readonly input: string) {
    super(`invalid duration "${input}"`);
    this.name = 'DurationParseError';
  }
}

/** Milliseconds in a Go duration; a bare "0" is zero. */
export function parseDurationMs(input: string): number {
  const s = input.trim();
  if (s === '0') return 0;
  const re = /([0-9]*\.?[0-9]+)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let at = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s)) !== null) {
    total += Number(m[1]) * UNIT_MS[m[2]!]!;
    at = re.lastIndex;
  }
  if (at === 0 || at !== s.length) throw new DurationParseError(input);
  return total;
}
