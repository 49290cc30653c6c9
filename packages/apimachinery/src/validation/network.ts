// IP and CIDR checks with kube's messages. Like kube's ParseIPSloppy, IPv4 octets with
// leading zeros are accepted (old objects carry them).
import { isIP } from 'node:net';

const sloppyIPv4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function ipFamily(value: string): 0 | 4 | 6 {
  const family = isIP(value);
  if (family === 4 || family === 6) return family;
  const m = sloppyIPv4.exec(value);
  return m && m.slice(1).every((o) => Number(o) <= 255) ? 4 : 0;
}

export function isValidIP(value: string): string[] {
  return ipFamily(value) ? [] : ['must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'];
}

export function isValidCIDR(value: string): string[] {
  const slash = value.indexOf('/');
  const ok = (() => {
    if (slash < 0) return false;
    const family = ipFamily(value.slice(0, slash));
    const bits = value.slice(slash + 1);
    if (!family || !/^\d{1,3}$/.test(bits)) return false;
    return Number(bits) <= (family === 4 ? 32 : 128);
  })();
  return ok ? [] : ['must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'];
}
