// Baseline "Seccomp": the profile must not be Unconfined (annotations before v1.19, fields since).
import { ALLOWED, forbid, type Check } from '../check.js';
import { goQuote, joinQuote, pluralize, setters, sortedSet } from '../format.js';
import { containerName, containersOf, scOf } from '../pod-types.js';

export const SECCOMP_POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';
export const SECCOMP_CONTAINER_ANNOTATION_PREFIX =
  'container.seccomp.security.alpha.kubernetes.io/';

export const validSeccompType = (t: unknown) => t === 'RuntimeDefault' || t === 'Localhost';
const validAnnotation = (v: string) =>
  v === 'runtime/default' || v === 'docker/default' || v.startsWith('localhost/');

export const seccompBaselineCheck: Check = {
  id: 'seccompProfile_baseline',
  level: 'baseline',
  versions: [
    {
      minimumVersion: 0,
      checkPod(meta, spec) {
        const annotations = meta.annotations ?? {};
        const bad: string[] = [];
        const podValue = annotations[SECCOMP_POD_ANNOTATION];
        if (podValue !== undefined && !validAnnotation(String(podValue))) {
          bad.push(`${SECCOMP_POD_ANNOTATION}=${goQuote(String(podValue))}`);
        }
        for (const c of containersOf(spec)) {
          const key = SECCOMP_CONTAINER_ANNOTATION_PREFIX + containerName(c);
          const v = annotations[key];
          if (v !== undefined && !validAnnotation(String(v)))
            bad.push(`${key}=${goQuote(String(v))}`);
        }
        const list = sortedSet(bad);
        if (list.length === 0) return ALLOWED;
        return forbid(
          'seccompProfile',
          `forbidden ${pluralize('annotation', 'annotations', list.length)} ${list.join(', ')}`,
        );
      },
    },
    {
      minimumVersion: 19,
      checkPod(_meta, spec) {
        const badValues: string[] = [];
        const podProfile = scOf(spec)?.seccompProfile;
        const pod = podProfile != null && !validSeccompType(podProfile.type);
        if (pod) badValues.push(String(podProfile.type ?? ''));
        const bad: string[] = [];
        for (const c of containersOf(spec)) {
          const p = scOf(c)?.seccompProfile;
          if (p != null && !validSeccompType(p.type)) {
            bad.push(containerName(c));
            badValues.push(String(p.type ?? ''));
          }
        }
        const who = setters(pod, bad);
        if (who.length === 0) return ALLOWED;
        return forbid(
          'seccompProfile',
          `${who.join(' and ')} must not set securityContext.seccompProfile.type to ${joinQuote(sortedSet(badValues))}`,
        );
      },
    },
  ],
};
