// The two ranges kube-apiserver allocates Service values from, parsed from its flags:
// --service-cluster-ip-range (IPv4 CIDR) and --service-node-port-range ("30000-32767").
// Both become a contiguous block of integer offsets, which the etcd allocator hands out.
import { isIPv4 } from 'node:net';

export const DEFAULT_SERVICE_CLUSTER_IP_RANGE = '10.96.0.0/12';
export const DEFAULT_SERVICE_NODE_PORT_RANGE = '30000-32767';

/** A flag value that cannot be used; the message names the flag and why. */
export class RangeFlagError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'RangeFlagError';
  }
}

/** A range of allocatable values, numbered 0..size-1. */
export interface AllocationRange<T> {
  readonly size: number;
  /** As kube prints it in "The range of valid ... is <text>". */
  readonly text: string;
  /** The offset of a value, or undefined when it lies outside the range. */
  offsetOf(value: T): number | undefined;
  valueAt(offset: number): T;
}

function ipToInt(ip: string): number {
  return ip.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
}

function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/**
 * Service cluster IPs: every address of the CIDR except the network and broadcast addresses,
 * as kube's ipallocator. Offset 0 is the first usable address, the `kubernetes` Service's.
 */
export class ServiceIPRange implements AllocationRange<string> {
  readonly size: number;
  /** First usable address (e.g. 10.96.0.1), reserved for the `kubernetes` Service. */
  readonly firstIP: string;
  private readonly first: number;

  constructor(readonly text: string) {
    const m = /^([0-9.]+)\/([0-9]{1,2})$/.exec(text.trim());
    if (!m || !isIPv4(m[1]!) || Number(m[2]) > 32) {
      if (m && m[1]!.includes(':'))
        throw new RangeFlagError(
          `--service-cluster-ip-range=${text}: only IPv4 ranges are supported`,
        );
      throw new RangeFlagError(
        `--service-cluster-ip-range=${text}: invalid CIDR address (expected e.g. ${DEFAULT_SERVICE_CLUSTER_IP_RANGE})`,
      );
    }
    const prefix = Number(m[2]);
    // kube-apiserver refuses IPv4 service ranges wider than /12.
    if (prefix < 12)
      throw new RangeFlagError(
        `--service-cluster-ip-range=${text}: the range is too large; for 32-bit addresses the mask must be >= 12`,
      );
    if (prefix > 29)
      throw new RangeFlagError(
        `--service-cluster-ip-range=${text}: the range is too small; the mask must be <= 29`,
      );
    const hostBits = 32 - prefix;
    const network = ipToInt(m[1]!) - (ipToInt(m[1]!) % 2 ** hostBits);
    if (network !== ipToInt(m[1]!)) {
      throw new RangeFlagError(
        `--service-cluster-ip-range=${text}: not a network address (did you mean ${intToIp(network)}/${prefix}?)`,
      );
    }
    this.first = network + 1;
    this.size = 2 ** hostBits - 2;
    this.firstIP = intToIp(this.first);
  }

  offsetOf(ip: string): number | undefined {
    if (!isIPv4(ip)) return undefined;
    const off = ipToInt(ip) - this.first;
    return off >= 0 && off < this.size ? off : undefined;
  }

  valueAt(offset: number): string {
    return intToIp(this.first + offset);
  }
}

/** Node ports: "base-last" inclusive, or kube's "base+size" form. */
export class PortRange implements AllocationRange<number> {
  readonly base: number;
  readonly size: number;
  readonly text: string;

  constructor(text: string) {
    const m = /^\s*([0-9]{1,5})\s*([-+])\s*([0-9]{1,5})\s*$/.exec(text);
    if (!m)
      throw new RangeFlagError(
        `--service-node-port-range=${text}: expected "<first>-<last>" (e.g. ${DEFAULT_SERVICE_NODE_PORT_RANGE})`,
      );
    const base = Number(m[1]);
    const last = m[2] === '-' ? Number(m[3]) : base + Number(m[3]);
    if (base < 1 || last > 65535 || last < base) {
      throw new RangeFlagError(
        `--service-node-port-range=${text}: ports must lie within 1-65535 and the last must not precede the first`,
      );
    }
    this.base = base;
    this.size = last - base + 1;
    this.text = `${base}-${last}`;
  }

  offsetOf(port: number): number | undefined {
    const off = port - this.base;
    return Number.isInteger(off) && off >= 0 && off < this.size ? off : undefined;
  }

  valueAt(offset: number): number {
    return this.base + offset;
  }
}
