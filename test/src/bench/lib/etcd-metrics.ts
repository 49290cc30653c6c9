// etcd's own count of open watches, from its Prometheus /metrics (etcd 3.4 names).
export interface EtcdWatchCounts {
  /** etcd_debugging_mvcc_watcher_total: watches open on the MVCC store. */
  watchers: number;
  /** etcd_debugging_mvcc_watch_stream_total: gRPC watch streams (a client multiplexes watches on one). */
  streams: number;
}

export async function etcdWatchCounts(etcdUrl: string): Promise<EtcdWatchCounts> {
  const text = await (await fetch(`${etcdUrl}/metrics`)).text();
  const gauge = (name: string) => {
    const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
    if (!m) throw new Error(`etcd /metrics has no ${name}`);
    return Number(m[1]);
  };
  return {
    watchers: gauge('etcd_debugging_mvcc_watcher_total'),
    streams: gauge('etcd_debugging_mvcc_watch_stream_total'),
  };
}
