// Restricted "Capabilities" (v1.22+): drop ALL, and add at most NET_BIND_SERVICE.
import { ALLOWED, forbid, type Check, type CheckPod } from '../check.js';
import { joinQuote, pluralize, sortedSet } from '../format.js';
import { containerName, containersOf, scOf } from '../pod-types.js';
import { isWindows } from './user-namespaces.js';

const capabilitiesRestricted =
  (exemptWindows: boolean): CheckPod =>
  (_meta, spec) => {
    if (exemptWindows && isWindows(spec)) return ALLOWED;
    const missingDropAll: string[] = [];
    const adding: string[] = [];
    const forbidden: string[] = [];
    for (const c of containersOf(spec)) {
      const caps = scOf(c)?.capabilities;
      if (caps == null) {
        missingDropAll.push(containerName(c));
        continue;
      }
      if (!(Array.isArray(caps.drop) && caps.drop.includes('ALL')))
        missingDropAll.push(containerName(c));
      const extra = (Array.isArray(caps.add) ? caps.add : [])
        .map(String)
        .filter((x) => x !== 'NET_BIND_SERVICE');
      if (extra.length) {
        adding.push(containerName(c));
        forbidden.push(...extra);
      }
    }
    const details: string[] = [];
    if (missingDropAll.length) {
      details.push(
        `${pluralize('container', 'containers', missingDropAll.length)} ${joinQuote(missingDropAll)} must set securityContext.capabilities.drop=["ALL"]`,
      );
    }
    if (adding.length) {
      details.push(
        `${pluralize('container', 'containers', adding.length)} ${joinQuote(adding)} must not include ${joinQuote(sortedSet(forbidden))} in securityContext.capabilities.add`,
      );
    }
    return details.length ? forbid('unrestricted capabilities', details.join('; ')) : ALLOWED;
  };

export const capabilitiesRestrictedCheck: Check = {
  id: 'capabilities_restricted',
  level: 'restricted',
  versions: [
    {
      minimumVersion: 22,
      checkPod: capabilitiesRestricted(false),
      overrides: ['capabilities_baseline'],
    },
    {
      minimumVersion: 25,
      checkPod: capabilitiesRestricted(true),
      overrides: ['capabilities_baseline'],
    },
  ],
};
