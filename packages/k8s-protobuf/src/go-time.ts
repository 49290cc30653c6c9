// Go's time formats as Kubernetes JSON uses them. meta/v1 Time is RFC 3339 at
// second precision, MicroTime keeps exactly six fractional digits, and
// meta/v1 Duration is Go's time.Duration.String().

/** Seconds of Go's zero time.Time (0001-01-01T00:00:00Z) since the Unix epoch. */
export const GO_ZERO_TIME_SECONDS = -62135596800;

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/** A point in time as protobuf carries it. */
export interface ProtoInstant {
  seconds: number;
  nanos: number;
}

/** Parses an RFC 3339 timestamp, keeping up to nanosecond precision. */
export function parseRfc3339(text: string): ProtoInstant | undefined {
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, , sign, oh, om] = m;
  let seconds = Math.floor(Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +s!) / 1000);
  // Date.UTC maps years 0-99 to 1900-1999; fix them up so year 1 stays year 1.
  if (+y! < 100) {
    const date = new Date(0);
    date.setUTCFullYear(+y!, +mo! - 1, +d!);
    date.setUTCHours(+h!, +mi!, +s!, 0);
    seconds = Math.floor(date.getTime() / 1000);
  }
  if (sign) seconds -= (sign === '-' ? -1 : 1) * (+oh! * 3600 + +om! * 60);
  const nanos = frac ? Number(frac.padEnd(9, '0')) : 0;
  return { seconds, nanos };
}

/** Formats as Go's time.RFC3339 in UTC: `2024-01-02T03:04:05Z`. */
export function formatRfc3339(seconds: number): string {
  return `${isoSeconds(seconds)}Z`;
}

/** Formats as meta/v1 RFC3339Micro in UTC: `2024-01-02T03:04:05.123456Z`. */
export function formatRfc3339Micro(seconds: number, nanos: number): string {
  const micros = Math.trunc(nanos / 1000);
  return `${isoSeconds(seconds)}.${String(micros).padStart(6, '0')}Z`;
}

function isoSeconds(seconds: number): string {
  const date = new Date(seconds * 1000);
  const year = date.getUTCFullYear();
  const iso = date.toISOString();
  // toISOString writes years past 9999 (or before 0) with six digits and a sign.
  const body = year >= 0 && year <= 9999 ? iso.slice(0, 19) : iso.slice(0, iso.indexOf('.'));
  return body;
}

const UNITS: ReadonlyArray<readonly [string, number]> = [
  ['ns', 1],
  ['us', 1e3],
  ['µs', 1e3],
  ['μs', 1e3],
  ['ms', 1e6],
  ['s', 1e9],
  ['m', 60e9],
  ['h', 3600e9],
];

/** Parses a Go duration string ("1h2m3.5s", "-300ms", "0") into nanoseconds. */
export function parseGoDuration(text: string): number | undefined {
  let rest = text;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    if (rest[0] === '-') sign = -1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') return undefined;
  let total = 0;
  while (rest.length > 0) {
    const num = /^(\d*)(?:\.(\d*))?/.exec(rest);
    if (!num || (num[1] === '' && (num[2] === undefined || num[2] === ''))) return undefined;
    rest = rest.slice(num[0].length);
    const unit = UNITS.filter(([u]) => rest.startsWith(u)).sort(
      (a, b) => b[0].length - a[0].length,
    )[0];
    if (!unit) return undefined;
    rest = rest.slice(unit[0].length);
    total += Number(`${num[1] || '0'}.${num[2] || '0'}`) * unit[1];
  }
  return sign * Math.round(total);
}

/** Formats nanoseconds like Go's time.Duration.String(). */
export function formatGoDuration(nanos: number): string {
  if (nanos === 0) return '0s';
  const neg = nanos < 0;
  let n = Math.abs(nanos);
  let out: string;
  if (n < 1e3) out = `${n}ns`;
  else if (n < 1e6) out = `${trimFraction(n / 1e3)}µs`;
  else if (n < 1e9) out = `${trimFraction(n / 1e6)}ms`;
  else {
    const h = Math.floor(n / 3600e9);
    n -= h * 3600e9;
    const m = Math.floor(n / 60e9);
    n -= m * 60e9;
    const s = `${trimFraction(n / 1e9)}s`;
    out = h > 0 ? `${h}h${m}m${s}` : m > 0 ? `${m}m${s}` : s;
  }
  return neg ? `-${out}` : out;
}

function trimFraction(value: number): string {
  // Go prints at most 9 fractional digits and drops trailing zeros.
  return value.toFixed(9).replace(/\.?0+$/, '');
}
