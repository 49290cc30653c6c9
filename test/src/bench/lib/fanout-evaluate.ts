// Checking one watch-fanout run: which events each watcher should have received (the writes
// its filter selects), which it did, and how late.
import type { CpuSnapshot } from '../cpu.js';
import type { EtcdWatchCounts } from './etcd-metrics.js';
import { summarize, type Summary } from './stats.js';
import type { WatchStream } from './watch-stream.js';

export interface Watcher {
  stream: WatchStream;
  kind: 'all' | 'namespace' | 'node';
  namespace?: string;
  node?: string;
}

export interface Write {
  rv: number;
  name: string;
  /** nowMs() when the request was sent and when its response arrived. */
  sent: number;
  at: number;
  namespace: string;
  node: string;
  op: 'create' | 'update' | 'delete';
}

export interface RunResult {
  run: number;
  writes: number;
  writeErrors: number;
  achievedRate: number;
  writeLatency: Summary;
  latency: Summary;
  fromSent: Summary;
  /** From the first watcher receiving an event to each other watcher receiving it. */
  spread: Summary;
  early: number;
  expected: number;
  received: number;
  missing: number;
  unexpected: number;
  duplicates: number;
  outOfOrder: number;
  etcd: EtcdWatchCounts;
  cpu: string;
  load: string;
}

function matches(w: Watcher, write: Write): boolean {
  if (w.kind === 'all') return true;
  if (w.kind === 'namespace') return write.namespace === w.namespace;
  return write.node === w.node;
}

export function evaluate(
  watchers: readonly Watcher[],
  run: number,
  writes: Write[],
  startIdx: number[],
  writeLatencies: number[],
  writeErrors: number,
  writeSeconds: number,
  etcdSamples: EtcdWatchCounts[],
  cpuBefore: CpuSnapshot,
  cpuAfter: CpuSnapshot,
  load: string,
): RunResult {
  // A DELETE's reply may carry the object's last resourceVersion rather than the delete's
  // revision, so DELETED events are matched by name (names are never reused here).
  const byRv = new Map(writes.filter((w) => w.op !== 'delete').map((w) => [w.rv, w]));
  const deletes = new Map(writes.filter((w) => w.op === 'delete').map((w) => [w.name, w]));
  let deleteRvMismatch = 0;
  const latencies: number[] = [];
  const fromSent: number[] = [];
  const firstArrival = new Map<Write, number>();
  const matched: Array<[Write, number]> = [];
  let early = 0;
  let expected = 0;
  let received = 0;
  let missing = 0;
  let unexpected = 0;
  let duplicates = 0;
  let outOfOrder = 0;
  const missingByOp = new Map<string, number>();
  const unexpectedByType = new Map<string, number>();
  const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  watchers.forEach((w, i) => {
    const arrivals = w.stream.arrivals.slice(startIdx[i]);
    received += arrivals.length;
    const seen = new Set<number>();
    const seenDeleted = new Set<string>();
    let last = 0;
    for (const a of arrivals) {
      if (a.rv <= last) outOfOrder++;
      last = Math.max(last, a.rv);
      if (seen.has(a.rv)) {
        duplicates++;
        continue;
      }
      seen.add(a.rv);
      const write = a.type === 'DELETED' ? deletes.get(a.name ?? '') : byRv.get(a.rv);
      if (write && a.type === 'DELETED') {
        seenDeleted.add(write.name);
        if (write.rv !== a.rv) deleteRvMismatch++;
      }
      if (!write || !matches(w, write)) {
        unexpected++;
        bump(unexpectedByType, a.type);
        continue;
      }
      const ms = a.at - write.at;
      if (ms < 0) early++;
      latencies.push(Math.max(0, ms));
      fromSent.push(a.at - write.sent);
      matched.push([write, a.at]);
      const first = firstArrival.get(write);
      if (first === undefined || a.at < first) firstArrival.set(write, a.at);
    }
    for (const write of writes) {
      if (!matches(w, write)) continue;
      expected++;
      if (write.op === 'delete' ? !seenDeleted.has(write.name) : !seen.has(write.rv)) {
        missing++;
        bump(missingByOp, write.op);
      }
    }
  });
  const spread = matched.map(([write, at]) => at - firstArrival.get(write)!);
  if (deleteRvMismatch) {
    console.log(
      `run ${run}: ${deleteRvMismatch} DELETED events carried another resourceVersion than their DELETE's reply`,
    );
  }
  if (missing || unexpected) {
    console.log(
      `run ${run}: missing by write: ${JSON.stringify(Object.fromEntries(missingByOp))}; ` +
        `unexpected by event type: ${JSON.stringify(Object.fromEntries(unexpectedByType))}`,
    );
  }
  const cpu = [...cpuAfter]
    .map(([name, s]) => [name, (100 * (s - (cpuBefore.get(name) ?? 0))) / writeSeconds] as const)
    .filter(([, pct]) => pct >= 0.5)
    .sort((a, b) => b[1] - a[1])
    .map(([name, pct]) => `${name} ${pct.toFixed(0)}%`)
    .join(', ');
  return {
    run,
    writes: writes.length,
    writeErrors,
    achievedRate: writes.length / writeSeconds,
    writeLatency: summarize(writeLatencies),
    latency: summarize(latencies),
    fromSent: summarize(fromSent),
    spread: summarize(spread),
    early,
    expected,
    received,
    missing,
    unexpected,
    duplicates,
    outOfOrder,
    etcd: {
      watchers: Math.max(...etcdSamples.map((s) => s.watchers)),
      streams: Math.max(...etcdSamples.map((s) => s.streams)),
    },
    cpu,
    load,
  };
}
