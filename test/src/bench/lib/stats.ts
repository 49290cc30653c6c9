// Small statistics and table helpers shared by the watch-path benchmarks.

/** The p-quantile (0..1) of already sorted values, nearest-rank; NaN when empty. */
export function quantile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(sorted.length * p) - 1))]!;
}

export function median(values: readonly number[]): number {
  return quantile(
    [...values].sort((a, b) => a - b),
    0.5,
  );
}

export interface Summary {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

export function summarize(values: readonly number[]): Summary {
  const sorted = Float64Array.from(values).sort();
  const arr = Array.from(sorted);
  return {
    count: arr.length,
    p50: quantile(arr, 0.5),
    p99: quantile(arr, 0.99),
    max: arr.at(-1) ?? NaN,
  };
}

/** A Markdown table, so the output can be pasted into docs/performance.md as is. */
export function table(
  header: readonly string[],
  rows: ReadonlyArray<readonly (string | number)[]>,
): string {
  const cell = (v: string | number) => (typeof v === 'number' ? fmt(v) : v);
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ].join('\n');
}

export function fmt(v: number, digits?: number): string {
  if (!Number.isFinite(v)) return String(v);
  const d = digits ?? (Math.abs(v) >= 100 ? 0 : Math.abs(v) >= 10 ? 1 : 2);
  return v.toFixed(d);
}

/** Wall-clock milliseconds from a process.hrtime.bigint() start. */
export const msSince = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6;

/** Monotonic milliseconds, comparable across everything in this process. */
export const nowMs = (): number => Number(process.hrtime.bigint()) / 1e6;
