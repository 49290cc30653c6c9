// CPU time per component, read from /proc/<pid>/stat (utime + stime, in clock ticks), so a
// benchmark phase can say which process its time went to.
import { readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

export type CpuSnapshot = Map<string, number>;

function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

export function snapshot(processes: Array<{ name: string; pid: number }>): CpuSnapshot {
  const snap: CpuSnapshot = new Map(processes.map((p) => [p.name, cpuSeconds(p.pid)]));
  snap.set('bench client', process.cpuUsage().user / 1e6 + process.cpuUsage().system / 1e6);
  return snap;
}

/** Milliseconds of CPU per operation for each component between two snapshots. */
export function perOperation(before: CpuSnapshot, after: CpuSnapshot, ops: number): string {
  const parts = [...after].map(([name, seconds]) => {
    const ms = ((seconds - (before.get(name) ?? 0)) * 1000) / ops;
    return [name, ms] as const;
  });
  const total = parts.reduce((sum, [, ms]) => sum + ms, 0);
  return (
    parts
      .filter(([, ms]) => ms >= 0.005)
      .sort((a, b) => b[1] - a[1])
      .map(([name, ms]) => `${name} ${ms.toFixed(2)}`)
      .join(', ') + ` — total ${total.toFixed(2)} ms CPU/op`
  );
}
