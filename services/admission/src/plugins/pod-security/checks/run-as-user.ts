// Restricted "Running as Non-root user" (v1.23+): runAsUser must not be 0.
import { ALLOWED, forbid, type Check, type CheckPod } from '../check.js';
import { setters } from '../format.js';
import { containerName, containersOf, scOf } from '../pod-types.js';
import { inUserNamespace } from './user-namespaces.js';

const runAsUser =
  (relaxUserNamespaces: boolean): CheckPod =>
  (_meta, spec) => {
    if (relaxUserNamespaces && inUserNamespace(spec)) return ALLOWED;
    const pod = scOf(spec)?.runAsUser === 0;
    const bad = containersOf(spec)
      .filter((c) => scOf(c)?.runAsUser === 0)
      .map(containerName);
    const who = setters(pod, bad);
    return who.length
      ? forbid('runAsUser=0', `${who.join(' and ')} must not set runAsUser=0`)
      : ALLOWED;
  };

export const runAsUserCheck: Check = {
  id: 'runAsUser',
  level: 'restricted',
  versions: [
    { minimumVersion: 23, checkPod: runAsUser(false) },
    { minimumVersion: 34, checkPod: runAsUser(true) },
  ],
};
