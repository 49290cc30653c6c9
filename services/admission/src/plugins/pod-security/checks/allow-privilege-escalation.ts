// Restricted "Privilege Escalation": allowPrivilegeEscalation must be false (Windows pods exempt since v1.25).
import { ALLOWED, forbid, type Check, type CheckPod } from '../check.js';
import { joinQuote, pluralize } from '../format.js';
import { containerName, containersOf, scOf } from '../pod-types.js';
import { isWindows } from './user-namespaces.js';

const allowPrivilegeEscalation =
  (exemptWindows: boolean): CheckPod =>
  (_meta, spec) => {
    if (exemptWindows && isWindows(spec)) return ALLOWED;
    const bad = containersOf(spec)
      .filter((c) => scOf(c)?.allowPrivilegeEscalation !== false)
      .map(containerName);
    if (bad.length === 0) return ALLOWED;
    return forbid(
      'allowPrivilegeEscalation != false',
      `${pluralize('container', 'containers', bad.length)} ${joinQuote(bad)} must set securityContext.allowPrivilegeEscalation=false`,
    );
  };

export const allowPrivilegeEscalationCheck: Check = {
  id: 'allowPrivilegeEscalation',
  level: 'restricted',
  versions: [
    { minimumVersion: 8, checkPod: allowPrivilegeEscalation(false) },
    { minimumVersion: 25, checkPod: allowPrivilegeEscalation(true) },
  ],
};
