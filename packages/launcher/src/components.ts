// What `splitplane up` runs: etcd, nats-server and every service as its own process, in
// dependency order, each with the flags it would get in a pod.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DevPki } from '@splitplane/pki';

export interface Ports {
  etcdClient: number;
  etcdPeer: number;
  nats: number;
  natsMonitor: number;
  admission: number;
  authz: number;
  registry: number;
  watchCache: number;
  gateway: number;
}

export type Readiness =
  | { kind: 'http'; url: string }
  | { kind: 'grpc'; target: string; service: string }
  | { kind: 'gateway'; url: string };

export interface Component {
  name: string;
  /** Components of one stage start together, once every earlier stage is ready. */
  stage: number;
  /** A program on PATH (or absolute) and the Debian package that provides it. */
  binary: { name: string; debianPackage?: string; fallbackPaths?: string[] };
  args: string[];
  readiness: Readiness;
}

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const serviceMain = (service: string) => join(repoRoot, 'services', service, 'dist', 'main.js');
const node = { name: process.execPath };
/** Extra node flags for every service, e.g. SPLITPLANE_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof". */
const nodeArgs = (process.env.SPLITPLANE_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
const loopback = (port: number) => `127.0.0.1:${port}`;

export function components(dataDir: string, ports: Ports, pki: DevPki): Component[] {
  const etcdUrl = `http://${loopback(ports.etcdClient)}`;
  return [
    {
      name: 'etcd',
      stage: 0,
      binary: { name: 'etcd', debianPackage: 'etcd-server', fallbackPaths: ['/usr/bin/etcd'] },
      args: [
        '--name=splitplane',
        `--data-dir=${join(dataDir, 'etcd')}`,
        `--listen-client-urls=${etcdUrl}`,
        `--advertise-client-urls=${etcdUrl}`,
        `--listen-peer-urls=http://${loopback(ports.etcdPeer)}`,
        `--initial-advertise-peer-urls=http://${loopback(ports.etcdPeer)}`,
        `--initial-cluster=splitplane=http://${loopback(ports.etcdPeer)}`,
        // Lets the watch-cache learn etcd's revision while its prefix is quiet (DESIGN §4).
        '--experimental-watch-progress-notify-interval=5s',
      ],
      readiness: { kind: 'http', url: `${etcdUrl}/health` },
    },
    {
      name: 'nats',
      stage: 0,
      binary: {
        name: 'nats-server',
        debianPackage: 'nats-server',
        fallbackPaths: ['/usr/sbin/nats-server'],
      },
      args: [
        '-a',
        '127.0.0.1',
        '-p',
        String(ports.nats),
        '-m',
        String(ports.natsMonitor),
        '-js',
        '-sd',
        join(dataDir, 'nats'),
      ],
      readiness: { kind: 'http', url: `http://${loopback(ports.natsMonitor)}/healthz` },
    },
    {
      name: 'admission',
      stage: 0,
      binary: node,
      args: [
        ...nodeArgs,
        serviceMain('admission'),
        `--listen-address=${loopback(ports.admission)}`,
      ],
      readiness: {
        kind: 'grpc',
        target: loopback(ports.admission),
        service: 'splitplane.v1.Admission',
      },
    },
    {
      name: 'authz',
      stage: 0,
      binary: node,
      args: [
        ...nodeArgs,
        serviceMain('authz'),
        `--listen-address=${loopback(ports.authz)}`,
        '--authorization-mode=AlwaysAllow',
      ],
      readiness: {
        kind: 'grpc',
        target: loopback(ports.authz),
        service: 'splitplane.v1.Authorizer',
      },
    },
    {
      name: 'registry',
      stage: 1,
      binary: node,
      args: [
        ...nodeArgs,
        serviceMain('registry'),
        `--listen-address=${loopback(ports.registry)}`,
        `--etcd-servers=${etcdUrl}`,
        `--admission-address=${loopback(ports.admission)}`,
        `--kubernetes-service-port=${ports.gateway}`,
      ],
      readiness: {
        kind: 'grpc',
        target: loopback(ports.registry),
        service: 'splitplane.v1.Registry',
      },
    },
    {
      name: 'watch-cache',
      stage: 1,
      binary: node,
      args: [
        ...nodeArgs,
        serviceMain('watch-cache'),
        `--listen-address=${loopback(ports.watchCache)}`,
        `--etcd-servers=${etcdUrl}`,
      ],
      readiness: {
        kind: 'grpc',
        target: loopback(ports.watchCache),
        service: 'splitplane.v1.WatchCache',
      },
    },
    {
      name: 'gateway',
      stage: 2,
      binary: node,
      args: [
        ...nodeArgs,
        serviceMain('gateway'),
        `--secure-port=${ports.gateway}`,
        '--bind-address=127.0.0.1',
        `--tls-cert-file=${pki.apiserver.cert}`,
        `--tls-private-key-file=${pki.apiserver.key}`,
        `--client-ca-file=${pki.ca.cert}`,
        `--registry-address=${loopback(ports.registry)}`,
        `--watch-cache-address=${loopback(ports.watchCache)}`,
        `--authz-address=${loopback(ports.authz)}`,
        `--admission-address=${loopback(ports.admission)}`,
        `--etcd-servers=${etcdUrl}`,
      ],
      readiness: { kind: 'gateway', url: `https://${loopback(ports.gateway)}/readyz` },
    },
  ];
}
