// A closed-loop load generator: `inFlight` workers each issue requests back to back until
// `total` are done; latency is measured per request.

export interface LoadResult {
  name: string;
  ops: number;
  seconds: number;
  opsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
}

export async function runLoad(
  name: string,
  total: number,
  inFlight: number,
  op: (i: number) => Promise<void>,
): Promise<LoadResult> {
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  let firstError: unknown;
  const started = process.hrtime.bigint();
  const worker = async () => {
    while (next < total) {
      const i = next++;
      const t0 = process.hrtime.bigint();
      try {
        await op(i);
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      } catch (err) {
        errors++;
        firstError ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (errors) console.error(`${name}: ${errors} errors, first: ${String(firstError)}`);
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? NaN;
  return {
    name,
    ops: latencies.length,
    seconds,
    opsPerSecond: latencies.length / seconds,
    p50Ms: pct(0.5),
    p99Ms: pct(0.99),
    errors,
  };
}

export function formatTable(results: LoadResult[]): string {
  const rows = results.map(
    (r) =>
      `| ${r.name} | ${r.ops} | ${r.opsPerSecond.toFixed(0)} | ${r.p50Ms.toFixed(2)} | ${r.p99Ms.toFixed(2)} | ${r.errors} |`,
  );
  return [
    '| operation | ops | ops/s | p50 ms | p99 ms | errors |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}
