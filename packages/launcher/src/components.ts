// What `splitplane up` runs: etcd, nats-server and every service as its own process, in
// dependency order, each with the flags it would get in a pod.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findBinary } from '@splitplane/kit';
import type { DevPki } from '@splitplane/pki';
import { natsAuthPaths, securedLinkArgs } from './internal-links.js';
import { SERVICE_ACCOUNT_ISSUER, serviceAccountKeyPaths } from './service-account-keys.js';

export interface Ports {
  etcdClient: number;
  etcdPeer: number;
  nats: number;
  natsMonitor: number;
  admission: number;
  authz: number;
  registry: number;
  /** Replica 0's port (= watchCaches[0]); kept for callers that know one replica. */
  watchCache: number;
  /** Replica 0's HTTPS port (= gateways[0]); the kubeconfig points here. */
  gateway: number;
  /** Every watch-cache replica's port, replica i at index i. */
  watchCaches: number[];
  /** Every gateway replica's HTTPS port, replica i at index i. */
  gateways: number[];
}

/** Replica 0 keeps the plain name, so single-replica callers and old state files still work. */
export function replicaName(base: string, index: number): string {
  return index === 0 ? base : `${base}-${index}`;
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
/**
 * For the services that move whole LISTs (15 MiB for 5,000 pods): with V8's default start
 * limit a 20-30 MB heap gets a full mark-compact for nearly every LIST, because the buffers a
 * LIST churns count against that limit; a larger start limit makes those collections rare
 * (docs/performance.md, "Heap settings"). It is a limit, not a reservation.
 */
const bulkTransferHeapArgs = ['--initial-old-space-size=256'];

/**
 * One gRPC target for all watch-cache replicas: grpc-js's ipv4 resolver takes a comma list,
 * and the round_robin policy in kit's GRPC_CHANNEL_OPTIONS spreads calls over them.
 */
export function watchCacheTarget(ports: number[]): string {
  return ports.length === 1 ? loopback(ports[0]!) : `ipv4:${ports.map(loopback).join(',')}`;
}

/**
 * Flags appended to a component's command line, by its base name ("gateway" applies to every
 * gateway replica): tuning and fault injection for tests and benchmarks.
 */
export type ExtraArgs = Readonly<Record<string, readonly string[]>>;

/** "watch-cache-1" -> "watch-cache"; names without a replica suffix are their own base. */
export function baseName(name: string): string {
  return name.replace(/-\d+$/, '');
}

export function components(
  dataDir: string,
  ports: Ports,
  pki: DevPki,
  extraArgs: ExtraArgs = {},
): Component[] {
  return plan(dataDir, ports, pki).map((c) => {
    // Mutual TLS and NATS credentials for every service (internal-links.ts).
    const secured = securedLinkArgs(baseName(c.name), c.args, pki, dataDir);
    const extra = extraArgs[baseName(c.name)] ?? [];
    // An extra --authorization-mode replaces the default (RBAC) rather than adding to it.
    const mode = '--authorization-mode=';
    const args = extra.some((a) => a.startsWith(mode))
      ? c.args.filter((a) => !a.startsWith(mode))
      : c.args;
    return secured.length || extra.length ? { ...c, args: [...args, ...secured, ...extra] } : c;
  });
}

function plan(dataDir: string, ports: Ports, pki: DevPki): Component[] {
  const etcdUrl = `http://${loopback(ports.etcdClient)}`;
  const natsUrl = `nats://${loopback(ports.nats)}`;
  const { watchCaches, gateways } = ports;
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
        // TLS from the internal CA and a password (written by ensureNatsAuth).
        '-c',
        natsAuthPaths(dataDir).configFile,
      ],
      readiness: { kind: 'http', url: `http://${loopback(ports.natsMonitor)}/healthz` },
    },
    {
      name: 'admission',
      // With the watch-cache and the registry: its informers list from the watch-cache, and
      // it reports ready only once they have synced. The registry's own bootstrap writes
      // (system namespaces, priority classes, the kubernetes Service) bypass admission, and
      // authz, the first client that writes through it, starts at stage 2 after it is ready.
      stage: 1,
      binary: node,
      args: [
        ...nodeArgs,
        serviceMain('admission'),
        `--listen-address=${loopback(ports.admission)}`,
        `--watch-cache-address=${watchCacheTarget(watchCaches)}`,
        `--nats-servers=${natsUrl}`,
        `--registry-address=${loopback(ports.registry)}`,
        `--authz-address=${loopback(ports.authz)}`,
      ],
      readiness: {
        kind: 'grpc',
        target: loopback(ports.admission),
        service: 'splitplane.v1.Admission',
      },
    },
    {
      name: 'authz',
      // After the registry and the watch-cache: it reconciles the bootstrap RBAC policy
      // through them before it reports ready.
      stage: 2,
      binary: node,
      args: [
        ...nodeArgs,
        serviceMain('authz'),
        `--listen-address=${loopback(ports.authz)}`,
        `--registry-address=${loopback(ports.registry)}`,
        `--watch-cache-address=${watchCacheTarget(watchCaches)}`,
        `--nats-servers=${natsUrl}`,
        '--authorization-mode=RBAC',
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
        `--authz-address=${loopback(ports.authz)}`,
        `--kubernetes-service-port=${ports.gateway}`,
      ],
      readiness: {
        kind: 'grpc',
        target: loopback(ports.registry),
        service: 'splitplane.v1.Registry',
      },
    },
    ...watchCaches.map((port, i): Component => ({
      name: replicaName('watch-cache', i),
      stage: 1,
      binary: node,
      args: [
        ...bulkTransferHeapArgs,
        ...nodeArgs,
        serviceMain('watch-cache'),
        `--listen-address=${loopback(port)}`,
        `--etcd-servers=${etcdUrl}`,
        `--nats-servers=${natsUrl}`,
      ],
      readiness: {
        kind: 'grpc',
        target: loopback(port),
        service: 'splitplane.v1.WatchCache',
      },
    })),
    ...gateways.map((port, i): Component => ({
      name: replicaName('gateway', i),
      stage: 3,
      binary: node,
      args: [
        ...bulkTransferHeapArgs,
        ...nodeArgs,
        serviceMain('gateway'),
        `--secure-port=${port}`,
        '--bind-address=127.0.0.1',
        `--tls-cert-file=${pki.apiserver.cert}`,
        `--tls-private-key-file=${pki.apiserver.key}`,
        `--client-ca-file=${pki.ca.cert}`,
        // ServiceAccount tokens (ensureServiceAccountKeys writes the pair at `up`).
        `--service-account-key-file=${serviceAccountKeyPaths(dataDir).pub}`,
        `--service-account-signing-key-file=${serviceAccountKeyPaths(dataDir).key}`,
        `--service-account-issuer=${SERVICE_ACCOUNT_ISSUER}`,
        `--api-audiences=${SERVICE_ACCOUNT_ISSUER}`,
        `--registry-address=${loopback(ports.registry)}`,
        `--watch-cache-address=${watchCacheTarget(watchCaches)}`,
        `--authz-address=${loopback(ports.authz)}`,
        `--admission-address=${loopback(ports.admission)}`,
        `--etcd-servers=${etcdUrl}`,
        `--nats-servers=${natsUrl}`,
      ],
      readiness: { kind: 'gateway', url: `https://${loopback(port)}/readyz` },
    })),
  ];
}

/** The absolute program to spawn; a missing Debian binary is a one-line error naming its package. */
export async function resolveCommand(component: Component): Promise<string> {
  const { name, debianPackage, fallbackPaths } = component.binary;
  if (!debianPackage) return name;
  return findBinary(name, { debianPackage, fallbackPaths: fallbackPaths ?? [] });
}
