// Baseline "SELinux": type limited to the container types; user and role must be unset.
import { ALLOWED, forbid, type Check } from '../check.js';
import { joinQuote, pluralize, setters, sortedSet } from '../format.js';
import { containerName, containersOf, scOf, type SecurityContextLike } from '../pod-types.js';

const ALLOWED_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t']);
// v1.31 added container_engine_t to the allowed types.
const ALLOWED_TYPES_1_31 = new Set([...ALLOWED_TYPES, 'container_engine_t']);

function seLinuxCheck(allowedTypes: ReadonlySet<string>) {
  return (_meta: unknown, spec: Parameters<typeof containersOf>[0]) => {
    const badTypes: string[] = [];
    let setUser = false;
    let setRole = false;
    const valid = (sc: SecurityContextLike | undefined) => {
      const o = sc?.seLinuxOptions;
      if (o == null) return true;
      let ok = true;
      const type = String(o.type ?? '');
      if (!allowedTypes.has(type)) {
        ok = false;
        badTypes.push(type);
      }
      if (o.user) {
        ok = false;
        setUser = true;
      }
      if (o.role) {
        ok = false;
        setRole = true;
      }
      return ok;
    };
    const pod = !valid(scOf(spec));
    const bad = containersOf(spec)
      .filter((c) => !valid(scOf(c)))
      .map(containerName);
    const who = setters(pod, bad);
    if (who.length === 0) return ALLOWED;
    const types = sortedSet(badTypes);
    const data: string[] = [];
    if (types.length) data.push(`${pluralize('type', 'types', types.length)} ${joinQuote(types)}`);
    if (setUser) data.push('user may not be set');
    if (setRole) data.push('role may not be set');
    return forbid(
      'seLinuxOptions',
      `${who.join(' and ')} set forbidden securityContext.seLinuxOptions: ${data.join('; ')}`,
    );
  };
}

export const seLinuxCheckDef: Check = {
  id: 'seLinuxOptions',
  level: 'baseline',
  versions: [
    { minimumVersion: 0, checkPod: seLinuxCheck(ALLOWED_TYPES) },
    { minimumVersion: 31, checkPod: seLinuxCheck(ALLOWED_TYPES_1_31) },
  ],
};
