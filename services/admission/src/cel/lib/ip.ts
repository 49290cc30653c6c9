// Kubernetes CEL IP and CIDR libraries (k8s.io/apiserver/pkg/cel/library/ip.go, cidr.go).
// Addresses are BigInts; like kube, IPv4-mapped IPv6 and zones are rejected.
import { isIPv4, isIPv6 } from 'node:net';
import type { Environment } from '@marcbachmann/cel-js';
import { CelFunctionError } from '../errors.js';

export class IPAddress {
  constructor(
    readonly family: 4 | 6,
    readonly value: bigint,
  ) {}

  get bits(): number {
    return this.family === 4 ? 32 : 128;
  }

  static tryParse(s: string): IPAddress | undefined {
    if (isIPv4(s))
      return new IPAddress(
        4,
        s.split('.').reduce((a, o) => (a << 8n) | BigInt(o), 0n),
      );
    if (!isIPv6(s) || s.includes('%')) return undefined;
    let text = s;
    const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
    if (v4) {
      const n = IPAddress.tryParse(v4[1]!)!.value;
      text = `${text.slice(0, -v4[1]!.length)}${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
    }
    const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
    const h = head ? head.split(':') : [];
    const t = tail ? tail.split(':') : [];
    const groups =
      tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
    const value = groups.reduce((a, g) => (a << 16n) | BigInt(`0x${g}`), 0n);
    if (value >> 32n === 0xffffn) return undefined; // IPv4-mapped
    return new IPAddress(6, value);
  }

  static parse(s: string): IPAddress {
    const ip = IPAddress.tryParse(s);
    if (!ip)
      throw new CelFunctionError(
        `IP Address "${s}" parse error during conversion from string: ParseAddr("${s}"): unable to parse IP`,
      );
    return ip;
  }

  inRange(prefix: bigint, len: number): boolean {
    return this.value >> BigInt(this.bits - len) === prefix >> BigInt(this.bits - len);
  }

  toString(): string {
    if (this.family === 4)
      return [24n, 16n, 8n, 0n].map((s) => String((this.value >> s) & 0xffn)).join('.');
    const g = Array.from({ length: 8 }, (_, i) =>
      Number((this.value >> BigInt(112 - 16 * i)) & 0xffffn),
    );
    // Compress the longest run (>= 2) of zero groups, as RFC 5952.
    let best = [-1, 0];
    for (let i = 0; i < 8;) {
      let j = i;
      while (j < 8 && g[j] === 0) j++;
      if (j - i > best[1]! && j - i >= 2) best = [i, j - i];
      i = j === i ? i + 1 : j;
    }
    const hex = g.map((x) => x.toString(16));
    if (best[0]! < 0) return hex.join(':');
    return `${hex.slice(0, best[0]).join(':')}::${hex.slice(best[0]! + best[1]!).join(':')}`;
  }
}

export class CIDRValue {
  constructor(
    readonly ip: IPAddress,
    readonly prefixLength: number,
  ) {}

  static tryParse(s: string): CIDRValue | undefined {
    const [addr = '', len, extra] = s.split('/');
    if (len === undefined || extra !== undefined || !/^\d{1,3}$/.test(len)) return undefined;
    const ip = IPAddress.tryParse(addr);
    if (!ip || Number(len) > ip.bits) return undefined;
    return new CIDRValue(ip, Number(len));
  }

  static parse(s: string): CIDRValue {
    const c = CIDRValue.tryParse(s);
    if (!c)
      throw new CelFunctionError(
        `network address parse error during conversion from string: netip.ParsePrefix("${s}"): invalid prefix`,
      );
    return c;
  }

  containsIP(ip: IPAddress): boolean {
    return ip.family === this.ip.family && ip.inRange(this.ip.value, this.prefixLength);
  }

  containsCIDR(other: CIDRValue): boolean {
    return other.prefixLength >= this.prefixLength && this.containsIP(other.ip);
  }

  masked(): CIDRValue {
    const host = BigInt(this.ip.bits - this.prefixLength);
    return new CIDRValue(
      new IPAddress(this.ip.family, (this.ip.value >> host) << host),
      this.prefixLength,
    );
  }

  toString(): string {
    return `${this.ip.toString()}/${this.prefixLength}`;
  }
}

const cidr = (s: string) => CIDRValue.tryParse(s);
const v4 = (ip: IPAddress, prefix: string, len: number) =>
  ip.family === 4 && ip.inRange(IPAddress.parse(prefix).value, len);
const v6 = (ip: IPAddress, prefix: string, len: number) =>
  ip.family === 6 && ip.inRange(IPAddress.parse(prefix).value, len);

export function registerIpLibrary(env: Environment): Environment {
  return env
    .registerType('net.IP', IPAddress)
    .registerType('net.CIDR', CIDRValue)
    .registerFunction('ip(string): net.IP', (s: string) => IPAddress.parse(s))
    .registerFunction('isIP(string): bool', (s: string) => IPAddress.tryParse(s) !== undefined)
    .registerFunction('string(net.IP): string', (ip: IPAddress) => ip.toString())
    .registerFunction('net.IP.family(): int', (ip: IPAddress) => BigInt(ip.family))
    .registerFunction('net.IP.isUnspecified(): bool', (ip: IPAddress) => ip.value === 0n)
    .registerFunction(
      'net.IP.isLoopback(): bool',
      (ip: IPAddress) => v4(ip, '127.0.0.0', 8) || (ip.family === 6 && ip.value === 1n),
    )
    .registerFunction(
      'net.IP.isLinkLocalMulticast(): bool',
      (ip: IPAddress) => v4(ip, '224.0.0.0', 24) || v6(ip, 'ff02::', 16),
    )
    .registerFunction(
      'net.IP.isLinkLocalUnicast(): bool',
      (ip: IPAddress) => v4(ip, '169.254.0.0', 16) || v6(ip, 'fe80::', 10),
    )
    .registerFunction(
      'net.IP.isGlobalUnicast(): bool',
      (ip: IPAddress) =>
        ip.value !== 0n &&
        !(v4(ip, '127.0.0.0', 8) || (ip.family === 6 && ip.value === 1n)) &&
        !(v4(ip, '169.254.0.0', 16) || v6(ip, 'fe80::', 10)) &&
        !(v4(ip, '224.0.0.0', 4) || v6(ip, 'ff00::', 8)) &&
        !(ip.family === 4 && ip.value === 0xffffffffn),
    )
    .registerFunction('cidr(string): net.CIDR', (s: string) => CIDRValue.parse(s))
    .registerFunction('isCIDR(string): bool', (s: string) => cidr(s) !== undefined)
    .registerFunction('string(net.CIDR): string', (c: CIDRValue) => c.toString())
    .registerFunction('net.CIDR.containsIP(net.IP): bool', (c: CIDRValue, ip: IPAddress) =>
      c.containsIP(ip),
    )
    .registerFunction('net.CIDR.containsIP(string): bool', (c: CIDRValue, s: string) =>
      c.containsIP(IPAddress.parse(s)),
    )
    .registerFunction('net.CIDR.containsCIDR(net.CIDR): bool', (c: CIDRValue, o: CIDRValue) =>
      c.containsCIDR(o),
    )
    .registerFunction('net.CIDR.containsCIDR(string): bool', (c: CIDRValue, s: string) =>
      c.containsCIDR(CIDRValue.parse(s)),
    )
    .registerFunction('net.CIDR.ip(): net.IP', (c: CIDRValue) => c.ip)
    .registerFunction('net.CIDR.masked(): net.CIDR', (c: CIDRValue) => c.masked())
    .registerFunction('net.CIDR.prefixLength(): int', (c: CIDRValue) => BigInt(c.prefixLength));
}
