// Baseline "Sysctls": only the namespaced, isolated "safe" set; kube grew the set over versions.
import { ALLOWED, forbid, type Check, type CheckPod } from '../check.js';
import { scOf } from '../pod-types.js';

const SAFE_1_0 = [
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_unprivileged_port_start',
];
const SAFE_1_27 = [...SAFE_1_0, 'net.ipv4.ip_local_reserved_ports'];
const SAFE_1_29 = [
  ...SAFE_1_27,
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
];
const SAFE_1_32 = [...SAFE_1_29, 'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem'];

const sysctls =
  (safe: readonly string[]): CheckPod =>
  (_meta, spec) => {
    const allowed = new Set(safe);
    const list = scOf(spec)?.sysctls;
    const bad = (Array.isArray(list) ? list : [])
      .map((s) => String(s?.name ?? ''))
      .filter((name) => !allowed.has(name));
    return bad.length ? forbid('forbidden sysctls', bad.join(', ')) : ALLOWED;
  };

export const sysctlsCheck: Check = {
  id: 'sysctls',
  level: 'baseline',
  versions: [
    { minimumVersion: 0, checkPod: sysctls(SAFE_1_0) },
    { minimumVersion: 27, checkPod: sysctls(SAFE_1_27) },
    { minimumVersion: 29, checkPod: sysctls(SAFE_1_29) },
    { minimumVersion: 32, checkPod: sysctls(SAFE_1_32) },
  ],
};
