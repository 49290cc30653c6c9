// Service ClusterIP and NodePort allocation in the registry's write path: kube-apiserver's
// service REST allocators (pkg/registry/core/service/storage/alloc.go) as store hooks.
// Create allocates before validation; update allocates what a type change or a new port
// needs and releases what the service stops holding only once the update is stored; delete
// releases everything. dryRun checks availability and writes nothing. Errors carry kube's
// codes and wording: a taken or out-of-range requested value is a 422 on the field, an
// exhausted range is kube's 500 InternalError.
import { type FieldError, invalid, newInternalError, newInvalid } from '@splitplane/apimachinery';
import type { Logger } from '@splitplane/kit';
import type { KubeObject } from '@splitplane/scheme';
import { isIPv4, isIPv6 } from 'node:net';
import type { EtcdStorage } from '@splitplane/storage';
import { type JsonObject, isInt, isObject, objects, strings } from '../strategies/internal/json.js';
import type { WriteContext } from '../store/context.js';
import type { Finish, WriteHooks } from '../store/write-hooks.js';
import {
  type AllocateOptions,
  type AllocationOwner,
  AllocationError,
  AlreadyAllocatedError,
  EtcdAllocator,
} from './etcd-allocator.js';
import { PortRange, ServiceIPRange } from './ranges.js';

export const SERVICE_IP_PREFIX = '/registry/splitplane/serviceips/';
export const SERVICE_NODE_PORT_PREFIX = '/registry/splitplane/servicenodeports/';

const SERVICE_GK = { group: '', kind: 'Service' };
const RELEASE_TIMEOUT_MS = 10_000;

/** KEP-3070's static band: range/16 clamped to [16, 256], none for tiny ranges. */
function ipStaticBand(size: number): number {
  return size <= 16 ? 0 : Math.min(Math.max(16, Math.floor(size / 16)), 256);
}
/** KEP-3668's static band for node ports: range/32 clamped to [16, 128]. */
function portStaticBand(size: number): number {
  return size <= 16 ? 0 : Math.min(Math.max(16, Math.floor(size / 32)), 128);
}

const specOf = (svc: KubeObject): JsonObject => (isObject(svc.spec) ? svc.spec : {});
const needsNodePorts = (spec: JsonObject) =>
  spec['type'] === 'NodePort' || spec['type'] === 'LoadBalancer';
const shouldAllocateNodePorts = (spec: JsonObject) =>
  spec['type'] === 'NodePort' ||
  (spec['type'] === 'LoadBalancer' && spec['allocateLoadBalancerNodePorts'] !== false);
const needsHealthCheck = (spec: JsonObject) =>
  spec['type'] === 'LoadBalancer' && spec['externalTrafficPolicy'] === 'Local';
const isHeadless = (spec: JsonObject) =>
  strings(spec['clusterIPs'])[0] === 'None' || spec['clusterIP'] === 'None';
/** A set nodePort, or 0 (absent, 0, or junk that validation reports). */
const nodePortOf = (p: JsonObject): number =>
  isInt(p['nodePort']) && p['nodePort'] > 0 ? p['nodePort'] : 0;
const collectNodePorts = (spec: JsonObject) =>
  objects(spec['ports'])
    .map(nodePortOf)
    .filter((n) => n > 0);
/** The cluster IPs a stored service holds (none for ExternalName and headless). */
function heldIPs(spec: JsonObject): string[] {
  if (spec['type'] === 'ExternalName' || isHeadless(spec)) return [];
  return strings(spec['clusterIPs']).filter((ip) => isIPv4(ip));
}

/** Every value a stored service holds: its cluster IPs, node ports and health check port. */
export function heldValues(svc: KubeObject): { ips: string[]; ports: number[] } {
  const spec = specOf(svc);
  const ports = collectNodePorts(spec);
  const hc = spec['healthCheckNodePort'];
  if (needsHealthCheck(spec) && isInt(hc) && hc > 0) ports.push(hc);
  return { ips: heldIPs(spec), ports };
}

export interface ServiceAllocatorOptions {
  serviceClusterIPRange: ServiceIPRange;
  serviceNodePortRange: PortRange;
  log?: Logger;
}

export class ServiceAllocator {
  readonly ips: EtcdAllocator<string>;
  readonly nodePorts: EtcdAllocator<number>;
  readonly ipRange: ServiceIPRange;
  readonly portRange: PortRange;
  private readonly log: Logger | undefined;

  constructor(storage: EtcdStorage, opts: ServiceAllocatorOptions) {
    this.ipRange = opts.serviceClusterIPRange;
    this.portRange = opts.serviceNodePortRange;
    this.log = opts.log;
    const cidr = this.ipRange.text;
    this.ips = new EtcdAllocator(storage, {
      prefix: SERVICE_IP_PREFIX,
      range: this.ipRange,
      kind: 'ServiceIPAllocation',
      noun: 'IP',
      notInRange: (ip) =>
        `the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${cidr}`,
      // The first address is the `kubernetes` Service's.
      reserved: [0],
      staticBand: ipStaticBand(this.ipRange.size),
    });
    const ports = this.portRange.text;
    this.nodePorts = new EtcdAllocator(storage, {
      prefix: SERVICE_NODE_PORT_PREFIX,
      range: this.portRange,
      kind: 'ServiceNodePortAllocation',
      noun: 'port',
      notInRange: () =>
        `provided port is not in the valid range. The range of valid ports is ${ports}`,
      staticBand: portStaticBand(this.portRange.size),
    });
  }

  /** The store hooks for core/v1 services. */
  hooks(): WriteHooks {
    return {
      beginCreate: (ctx, svc) => this.beginCreate(ctx, svc),
      beginUpdate: (ctx, svc, old) => this.beginUpdate(ctx, svc, old),
      afterDelete: (ctx, svc) => this.releaseAll(ctx, svc),
    };
  }

  async beginCreate(ctx: WriteContext, svc: KubeObject): Promise<Finish> {
    const op = new AllocationOp(this, ownerOf(ctx, svc), ctx);
    const spec = specOf(svc);
    try {
      await this.allocClusterIPs(op, svc, spec);
      if (needsNodePorts(spec)) await this.initNodePorts(op, svc, spec);
      if (needsHealthCheck(spec)) await this.allocHealthCheckNodePort(op, spec);
    } catch (err) {
      await op.revert();
      throw err;
    }
    return op;
  }

  async beginUpdate(ctx: WriteContext, svc: KubeObject, old: KubeObject): Promise<Finish> {
    const op = new AllocationOp(this, ownerOf(ctx, old), ctx);
    const spec = specOf(svc);
    const oldSpec = specOf(old);
    try {
      await this.updateClusterIPs(op, svc, spec, oldSpec);
      if (
        needsNodePorts(oldSpec) &&
        (spec['type'] === 'ExternalName' || spec['type'] === 'ClusterIP')
      ) {
        op.releaseLater('port', collectNodePorts(oldSpec));
      }
      if (needsNodePorts(spec)) await this.updateNodePorts(op, svc, spec, oldSpec);
      if (!needsHealthCheck(oldSpec) && needsHealthCheck(spec))
        await this.allocHealthCheckNodePort(op, spec);
      else if (
        needsHealthCheck(oldSpec) &&
        !needsHealthCheck(spec) &&
        isInt(oldSpec['healthCheckNodePort'])
      ) {
        op.releaseLater('port', [oldSpec['healthCheckNodePort']]);
      }
    } catch (err) {
      await op.revert();
      throw err;
    }
    return op;
  }

  /** releaseAllocatedResources: everything a deleted service held. */
  async releaseAll(ctx: WriteContext, svc: KubeObject): Promise<void> {
    const held = heldValues(svc);
    const op = new AllocationOp(this, ownerOf(ctx, svc), { ...ctx, dryRun: false });
    op.releaseLater('ip', held.ips);
    op.releaseLater('port', held.ports);
    await op.commit();
  }

  /** Logs a release that failed; the repair pass collects what it left behind. */
  warn(err: unknown, what: string): void {
    this.log?.warn({ err }, `service allocation: ${what}`);
  }

  private async allocClusterIPs(
    op: AllocationOp,
    svc: KubeObject,
    spec: JsonObject,
  ): Promise<void> {
    if (spec['type'] === 'ExternalName' || isHeadless(spec)) return;
    const ips = strings(spec['clusterIPs']);
    // Malformed values are validation's to report.
    if (!ips.every((ip) => isIPv4(ip) || isIPv6(ip)) || ips.length > 1) return;
    const name = svc.metadata?.name ?? '';
    const errs: FieldError[] = [];
    ips.forEach((ip, i) => {
      if (isIPv6(ip))
        errs.push(invalid(`spec.clusterIPs[${i}]`, ips, 'IPv6 is not configured on this cluster'));
    });
    if (errs.length === 0) {
      if (spec['ipFamilyPolicy'] === 'RequireDualStack') {
        errs.push(
          invalid(
            'spec.ipFamilyPolicy',
            spec['ipFamilyPolicy'],
            'this cluster is not configured for dual-stack services',
          ),
        );
      }
      strings(spec['ipFamilies']).forEach((f, i) => {
        if (f === 'IPv6')
          errs.push(invalid(`spec.ipFamilies[${i}]`, f, 'not configured on this cluster'));
      });
    }
    if (errs.length) throw newInvalid(SERVICE_GK, name, errs);
    const requested = ips[0];
    let ip: string;
    if (requested) {
      try {
        await op.allocate('ip', requested);
      } catch (err) {
        if (!(err instanceof AllocationError)) throw err;
        throw newInvalid(SERVICE_GK, name, [
          invalid('spec.clusterIPs', ips, `failed to allocate IP ${requested}: ${err.message}`),
        ]);
      }
      ip = requested;
    } else {
      try {
        ip = await op.next('ip');
      } catch (err) {
        if (!(err instanceof AllocationError)) throw err;
        throw newInternalError(new Error(`failed to allocate a serviceIP: ${err.message}`));
      }
    }
    spec['clusterIP'] = ip;
    spec['clusterIPs'] = [ip];
  }

  private async updateClusterIPs(
    op: AllocationOp,
    svc: KubeObject,
    spec: JsonObject,
    oldSpec: JsonObject,
  ): Promise<void> {
    const toExternalName = spec['type'] === 'ExternalName';
    if (oldSpec['type'] === 'ExternalName') {
      if (!toExternalName) await this.allocClusterIPs(op, svc, spec);
      return;
    }
    if (isHeadless(oldSpec)) return;
    if (toExternalName) {
      op.releaseLater('ip', heldIPs(oldSpec));
      return;
    }
    // Stored before the registry allocated (no clusterIP yet): give it one now.
    if (strings(oldSpec['clusterIPs']).length === 0 && !spec['clusterIP'])
      await this.allocClusterIPs(op, svc, spec);
  }

  /** initNodePorts: one node port per service port number, requested ones first. */
  private async initNodePorts(op: AllocationOp, svc: KubeObject, spec: JsonObject): Promise<void> {
    const ports = objects(spec['ports']);
    const byServicePort = new Map<unknown, number>();
    const allocate = shouldAllocateNodePorts(spec);
    for (const [i, p] of ports.entries()) {
      const np = nodePortOf(p);
      if (np === 0 && !allocate) continue;
      const given = byServicePort.get(p['port']);
      if (given === undefined) {
        // A later port with the same number may carry the request.
        const requested =
          ports.map((q) => (q['port'] === p['port'] ? nodePortOf(q) : 0)).find((n) => n > 0) ?? 0;
        if (requested) {
          await this.allocatePort(op, svc, requested, `spec.ports[${i}].nodePort`);
          p['nodePort'] = requested;
          byServicePort.set(p['port'], requested);
        } else {
          const n = await this.nextPort(op);
          p['nodePort'] = n;
          byServicePort.set(p['port'], n);
        }
      } else if (np !== given) {
        if (np === 0) p['nodePort'] = given;
        else await this.allocatePort(op, svc, np, `spec.ports[${i}].nodePort`);
      }
    }
  }

  private async updateNodePorts(
    op: AllocationOp,
    svc: KubeObject,
    spec: JsonObject,
    oldSpec: JsonObject,
  ): Promise<void> {
    const oldNumbers = collectNodePorts(oldSpec);
    const allocated = new Set<number>();
    const allocate = shouldAllocateNodePorts(spec);
    for (const [i, p] of objects(spec['ports']).entries()) {
      const np = nodePortOf(p);
      if (np === 0 && !allocate) continue;
      if (np !== 0) {
        if (!oldNumbers.includes(np) && !allocated.has(np)) {
          await this.allocatePort(op, svc, np, `spec.ports[${i}].nodePort`);
          allocated.add(np);
        }
      } else {
        p['nodePort'] = await this.nextPort(op);
      }
    }
    const newNumbers = collectNodePorts(spec);
    op.releaseLater(
      'port',
      oldNumbers.filter((n) => !newNumbers.includes(n)),
    );
  }

  private async allocHealthCheckNodePort(op: AllocationOp, spec: JsonObject): Promise<void> {
    const hc = spec['healthCheckNodePort'];
    // kube answers these with an InternalError, not a field error.
    if (isInt(hc) && hc !== 0) {
      try {
        await op.allocate('port', hc);
      } catch (err) {
        if (!(err instanceof AllocationError)) throw err;
        throw newInternalError(
          new Error(`failed to allocate requested HealthCheck NodePort ${hc}: ${err.message}`),
        );
      }
      return;
    }
    if (hc !== undefined && hc !== null && hc !== 0) return; // junk: validation reports it
    try {
      spec['healthCheckNodePort'] = await op.next('port');
    } catch (err) {
      if (!(err instanceof AllocationError)) throw err;
      throw newInternalError(
        new Error(`failed to allocate a HealthCheck NodePort 0: ${err.message}`),
      );
    }
  }

  private async allocatePort(
    op: AllocationOp,
    svc: KubeObject,
    port: number,
    path: string,
  ): Promise<void> {
    try {
      await op.allocate('port', port);
    } catch (err) {
      if (!(err instanceof AllocationError)) throw err;
      throw newInvalid(SERVICE_GK, svc.metadata?.name ?? '', [invalid(path, port, err.message)]);
    }
  }

  private async nextPort(op: AllocationOp): Promise<number> {
    try {
      return await op.next('port');
    } catch (err) {
      if (!(err instanceof AllocationError)) throw err;
      throw newInternalError(new Error(`failed to allocate a nodePort: ${err.message}`));
    }
  }
}

function ownerOf(ctx: WriteContext, svc: KubeObject): AllocationOwner {
  return {
    namespace: svc.metadata?.namespace ?? ctx.namespace,
    name: svc.metadata?.name ?? ctx.name,
    uid: svc.metadata?.uid ?? '',
  };
}

type Pool = 'ip' | 'port';
type Value<P extends Pool> = P extends 'ip' ? string : number;

/**
 * The allocations of one write attempt: what it took (given back on revert) and what it
 * stops holding (given back on commit). Under dryRun nothing is written either way; values
 * taken within the attempt are remembered so a dry run still sees its own duplicates.
 */
class AllocationOp implements Finish {
  private readonly taken: Array<[Pool, string | number]> = [];
  private readonly toRelease: Array<[Pool, string | number]> = [];
  private readonly opts: AllocateOptions;

  constructor(
    private readonly alloc: ServiceAllocator,
    private readonly owner: AllocationOwner,
    ctx: Pick<WriteContext, 'dryRun' | 'deadline'>,
  ) {
    this.opts = { dryRun: ctx.dryRun, ...(ctx.deadline ? { deadline: ctx.deadline } : {}) };
  }

  private pool<P extends Pool>(pool: P): EtcdAllocator<Value<P>> {
    return (pool === 'ip' ? this.alloc.ips : this.alloc.nodePorts) as unknown as EtcdAllocator<
      Value<P>
    >;
  }

  private holds(pool: Pool, value: string | number): boolean {
    return this.taken.some(([p, v]) => p === pool && v === value);
  }

  async allocate<P extends Pool>(pool: P, value: Value<P>): Promise<void> {
    const allocator = this.pool(pool);
    if (this.holds(pool, value) && allocator.range.offsetOf(value) !== undefined) {
      throw new AlreadyAllocatedError(pool === 'ip' ? 'IP' : 'port');
    }
    await allocator.allocate(value, this.owner, this.opts);
    this.taken.push([pool, value]);
  }

  async next<P extends Pool>(pool: P): Promise<Value<P>> {
    for (let i = 0; ; i++) {
      const v = await this.pool(pool).allocateNext(this.owner, this.opts);
      // A dry run may be offered a value it already picked; a real one never is.
      if (this.holds(pool, v) && i < 16) continue;
      this.taken.push([pool, v]);
      return v;
    }
  }

  releaseLater(pool: Pool, values: Array<string | number>): void {
    for (const v of values) this.toRelease.push([pool, v]);
  }

  async commit(): Promise<void> {
    await this.release(this.toRelease.splice(0), 'release after write');
  }

  async revert(): Promise<void> {
    this.toRelease.length = 0;
    await this.release(this.taken.splice(0), 'revert of a failed write');
  }

  private async release(list: Array<[Pool, string | number]>, what: string): Promise<void> {
    if (this.opts.dryRun) return;
    for (const [pool, value] of list) {
      try {
        // Not the request's deadline: a request that timed out must still give back what it took.
        await this.pool(pool).release(value as never, this.owner, {
          deadline: new Date(Date.now() + RELEASE_TIMEOUT_MS),
        });
      } catch (err) {
        // A value left taken is a leak, not a wrong answer; the repair pass reclaims it.
        this.alloc.warn(
          err,
          `${what}: ${pool} ${value} of ${this.owner.namespace}/${this.owner.name}`,
        );
      }
    }
  }
}
