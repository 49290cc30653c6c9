// Restricted "Running as Non-root": runAsNonRoot=true on the pod or every container.
import { ALLOWED, forbid, type Check, type CheckPod } from '../check.js';
import { joinQuote, pluralize, setters } from '../format.js';
import { containerName, containersOf, scOf } from '../pod-types.js';
import { inUserNamespace } from './user-namespaces.js';

const runAsNonRoot =
  (relaxUserNamespaces: boolean): CheckPod =>
  (_meta, spec) => {
    if (relaxUserNamespaces && inUserNamespace(spec)) return ALLOWED;
    const podValue = scOf(spec)?.runAsNonRoot;
    const podBad = podValue === false;
    const podNonRoot = podValue === true;
    const explicit: string[] = [];
    const implicit: string[] = [];
    for (const c of containersOf(spec)) {
      const own = scOf(c)?.runAsNonRoot;
      if (own != null) {
        if (own === false) explicit.push(containerName(c));
      } else if (!podNonRoot) {
        implicit.push(containerName(c));
      }
    }
    const who = setters(podBad, explicit);
    if (who.length) {
      return forbid(
        'runAsNonRoot != true',
        `${who.join(' and ')} must not set securityContext.runAsNonRoot=false`,
      );
    }
    if (implicit.length === 0) return ALLOWED;
    return forbid(
      'runAsNonRoot != true',
      `pod or ${pluralize('container', 'containers', implicit.length)} ${joinQuote(implicit)} must set securityContext.runAsNonRoot=true`,
    );
  };

export const runAsNonRootCheck: Check = {
  id: 'runAsNonRoot',
  level: 'restricted',
  versions: [
    { minimumVersion: 0, checkPod: runAsNonRoot(false) },
    { minimumVersion: 34, checkPod: runAsNonRoot(true) },
  ],
};
