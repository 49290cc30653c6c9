// kube's short human durations (apimachinery util/duration.HumanDuration), as kubectl
// shows them in AGE columns: "5s", "3m2s", "10m", "5h3m", "2d3h", "400d", "3y20d".

export function humanDuration(ms: number): string {
  // Go truncates toward zero when converting to whole seconds.
  const seconds = Math.trunc(ms / 1000);
  // Up to 2 s of clock skew reads as "now".
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.trunc(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.trunc(seconds / 3600);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    const d = Math.trunc(hours / 24);
    return h === 0 ? `${d}d` : `${d}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24)}d`;
  const years = Math.trunc(hours / 24 / 365);
  if (hours < 24 * 365 * 8) {
    const dy = Math.trunc(hours / 24) % 365;
    return dy === 0 ? `${years}y` : `${years}y${dy}d`;
  }
  return `${years}y`;
}

/** Parse an RFC 3339 timestamp; undefined for absent or unparsable values (kube's zero time). */
export function parseTime(value: unknown): Date | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const t = new Date(value);
  return Number.isNaN(t.getTime()) ? undefined : t;
}

/** Elapsed time since `timestamp`, or "<unknown>" when it is unset. */
export function since(timestamp: unknown, now: Date): string {
  const t = parseTime(timestamp);
  return t ? humanDuration(now.getTime() - t.getTime()) : '<unknown>';
}
