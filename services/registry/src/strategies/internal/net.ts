// IP and CIDR helpers over the shared validators: boolean forms with kube's messages,
// and CIDR containment for NetworkPolicy ipBlock.except.
import { isIPv4, isIPv6 } from 'node:net';
import {
  isValidCIDR as sharedIsValidCIDR,
  isValidIP as sharedIsValidIP,
} from '@splitplane/apimachinery';

export const INVALID_IP = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';
export const INVALID_CIDR = 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)';

export function isValidIP(value: string): boolean {
  return sharedIsValidIP(value).length === 0 && !value.includes('%');
}

export { isIPv4, isIPv6 };

export interface Cidr {
  family: 4 | 6;
  bits: bigint;
  prefix: number;
}

export function parseCIDR(value: string): Cidr | undefined {
  const slash = value.indexOf('/');
  if (slash < 0) return undefined;
  const ip = value.slice(0, slash);
  const prefixText = value.slice(slash + 1);
  if (!/^[0-9]{1,3}$/.test(prefixText) || (!isIPv4(ip) && !isIPv6(ip))) return undefined;
  const family = isIPv4(ip) ? 4 : 6;
  const prefix = Number(prefixText);
  if (prefix > (family === 4 ? 32 : 128)) return undefined;
  return { family, bits: ipBits(ip), prefix };
}

export function isValidCIDR(value: string): boolean {
  return sharedIsValidCIDR(value).length === 0;
}

function ipBits(ip: string): bigint {
  if (isIPv4(ip)) return ip.split('.').reduce((acc, p) => (acc << 8n) | BigInt(Number(p)), 0n);
  let text = ip;
  // An embedded IPv4 tail becomes two hextets.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const n = ipBits(v4[1]!);
    text =
      text.slice(0, -v4[1]!.length) + `${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

/** Whether `inner` lies within `outer` and is strictly smaller. */
export function isStrictSubset(inner: Cidr, outer: Cidr): boolean {
  if (inner.family !== outer.family || inner.prefix <= outer.prefix) return false;
  const width = inner.family === 4 ? 32 : 128;
  const shift = BigInt(width - outer.prefix);
  return inner.bits >> shift === outer.bits >> shift;
}
