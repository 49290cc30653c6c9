// Baseline "/proc Mount Type": only the Default proc mount.
import { ALLOWED, forbid, type Check, type CheckPod } from '../check.js';
import { joinQuote, pluralize, sortedSet } from '../format.js';
import { containerName, containersOf, scOf } from '../pod-types.js';
import { inUserNamespace } from './user-namespaces.js';

const procMount =
  (relaxUserNamespaces: boolean): CheckPod =>
  (_meta, spec) => {
    if (relaxUserNamespaces && inUserNamespace(spec)) return ALLOWED;
    const bad: string[] = [];
    const types: string[] = [];
    for (const c of containersOf(spec)) {
      const pm = scOf(c)?.procMount;
      if (pm == null || pm === 'Default') continue;
      bad.push(containerName(c));
      types.push(String(pm));
    }
    if (bad.length === 0) return ALLOWED;
    return forbid(
      'procMount',
      `${pluralize('container', 'containers', bad.length)} ${joinQuote(bad)} must not set securityContext.procMount to ${joinQuote(sortedSet(types))}`,
    );
  };

export const procMountCheck: Check = {
  id: 'procMount',
  level: 'baseline',
  versions: [
    { minimumVersion: 0, checkPod: procMount(false) },
    { minimumVersion: 34, checkPod: procMount(true) },
  ],
};
