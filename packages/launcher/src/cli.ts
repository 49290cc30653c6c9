#!/usr/bin/env node
// splitplane: runs the split control plane locally (`up`, `down`, `status`).
import { parseArgs } from 'node:util';
import { down, LauncherError, status, up } from './launcher.js';
import { superviseUntilSignal } from './supervise.js';

const usage = `Usage: splitplane <command> [flags]

Commands:
  up        start etcd, nats-server and every service; foreground unless --detach
  down      stop everything 'up' started, by PID
  status    show every process and its health

Flags:
  --data-dir DIR       state, logs, PKI and kubeconfig (default .splitplane)
  --secure-port PORT   gateway HTTPS port (default 6443; 0 picks a free port)
  --detach             (up) return once everything is ready
  --ready-timeout SEC  (up) how long each component may take to become ready (default 60)
  --watch-cache-replicas N  (up) watch-cache processes to run (default 1)
  --gateway-replicas N      (up) gateway processes to run, each on its own port (default 1)
`;

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      'data-dir': { type: 'string', default: '.splitplane' },
      'secure-port': { type: 'string', default: '6443' },
      detach: { type: 'boolean', default: false },
      'ready-timeout': { type: 'string', default: '60' },
      'watch-cache-replicas': { type: 'string', default: '1' },
      'gateway-replicas': { type: 'string', default: '1' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const command = positionals[0];
  const dataDir = values['data-dir']!;
  if (values.help || !command) {
    process.stdout.write(usage);
    return command || values.help ? 0 : 2;
  }
  switch (command) {
    case 'up': {
      process.stdout.write(`Starting splitplane in ${dataDir}\n`);
      const state = await up({
        dataDir,
        securePort: Number(values['secure-port']),
        readyTimeoutMs: Number(values['ready-timeout']) * 1000,
        watchCacheReplicas: Number(values['watch-cache-replicas']),
        gatewayReplicas: Number(values['gateway-replicas']),
        log: (line) => process.stdout.write(`${line}\n`),
      });
      process.stdout.write(
        `\nsplitplane is ready at https://127.0.0.1:${state.ports.gateway}\n` +
          (state.ports.gateways.length > 1
            ? `  other gateways: ${state.ports.gateways
                .slice(1)
                .map((p) => `https://127.0.0.1:${p}`)
                .join(' ')}\n`
            : '') +
          `  export KUBECONFIG=${state.kubeconfig}\n  kubectl get namespaces\n\n` +
          (values.detach
            ? `Stop it with: splitplane down --data-dir ${dataDir}\n`
            : 'Press Ctrl-C to stop.\n'),
      );
      if (values.detach) return 0;
      await superviseUntilSignal(state, (line) => process.stdout.write(`${line}\n`));
      process.stdout.write('\nStopping...\n');
      await down(dataDir);
      return 0;
    }
    case 'down': {
      const stopped = await down(dataDir);
      process.stdout.write(
        stopped.length
          ? `Stopped ${stopped.map((p) => p.name).join(', ')}\n`
          : 'Nothing is running.\n',
      );
      return 0;
    }
    case 'status': {
      const rows = await status(dataDir);
      if (!rows) {
        process.stdout.write(`Nothing is running from ${dataDir}.\n`);
        return 1;
      }
      process.stdout.write(`${'COMPONENT'.padEnd(16)}${'PID'.padEnd(9)}STATE\n`);
      for (const row of rows) {
        const state = !row.running ? 'stopped' : row.ready ? 'ready' : 'not ready';
        process.stdout.write(`${row.name.padEnd(16)}${String(row.pid).padEnd(9)}${state}\n`);
      }
      return rows.every((r) => r.ready) ? 0 : 1;
    }
    default:
      process.stderr.write(`splitplane: unknown command "${command}"\n\n${usage}`);
      return 2;
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(
      `splitplane: ${err instanceof LauncherError ? '' : 'error: '}${message}\n`,
    );
    process.exit(1);
  },
);
