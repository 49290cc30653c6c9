// Restricted "Seccomp" (v1.19+): RuntimeDefault or Localhost must be set on the pod or every container.
import { ALLOWED, forbid, type Check, type CheckPod } from '../check.js';
import { joinQuote, pluralize, setters, sortedSet } from '../format.js';
import { containerName, containersOf, scOf } from '../pod-types.js';
import { validSeccompType } from './seccomp-baseline.js';
import { isWindows } from './user-namespaces.js';

const seccompRestricted =
  (exemptWindows: boolean): CheckPod =>
  (_meta, spec) => {
    if (exemptWindows && isWindows(spec)) return ALLOWED;
    const badValues: string[] = [];
    const podProfile = scOf(spec)?.seccompProfile;
    const podBad = podProfile != null && !validSeccompType(podProfile.type);
    if (podBad) badValues.push(String(podProfile.type ?? ''));
    const podSet = podProfile != null && !podBad;
    const explicit: string[] = [];
    const implicit: string[] = [];
    for (const c of containersOf(spec)) {
      const p = scOf(c)?.seccompProfile;
      if (p != null) {
        if (!validSeccompType(p.type)) {
          explicit.push(containerName(c));
          badValues.push(String(p.type ?? ''));
        }
      } else if (!podSet) {
        implicit.push(containerName(c));
      }
    }
    const who = setters(podBad, explicit);
    if (who.length) {
      return forbid(
        'seccompProfile',
        `${who.join(' and ')} must not set securityContext.seccompProfile.type to ${joinQuote(sortedSet(badValues))}`,
      );
    }
    if (implicit.length === 0) return ALLOWED;
    return forbid(
      'seccompProfile',
      `pod or ${pluralize('container', 'containers', implicit.length)} ${joinQuote(implicit)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"`,
    );
  };

export const seccompRestrictedCheck: Check = {
  id: 'seccompProfile_restricted',
  level: 'restricted',
  versions: [
    {
      minimumVersion: 19,
      checkPod: seccompRestricted(false),
      overrides: ['seccompProfile_baseline'],
    },
    {
      minimumVersion: 25,
      checkPod: seccompRestricted(true),
      overrides: ['seccompProfile_baseline'],
    },
  ],
};
