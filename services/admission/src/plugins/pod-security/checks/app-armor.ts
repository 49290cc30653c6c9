// Baseline "AppArmor": profiles may only be RuntimeDefault or Localhost (fields or the beta annotations).
import { ALLOWED, forbid, type Check } from '../check.js';
import { goQuote, joinQuote, pluralize, setters, sortedSet } from '../format.js';
import { containerName, containersOf, scOf } from '../pod-types.js';

const ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';
const allowedType = (t: unknown) => t === 'RuntimeDefault' || t === 'Localhost';
const allowedAnnotation = (v: string) =>
  v === '' || v === 'runtime/default' || v.startsWith('localhost/');

export const appArmorCheck: Check = {
  id: 'appArmorProfile',
  level: 'baseline',
  versions: [
    {
      minimumVersion: 0,
      checkPod(meta, spec) {
        const badValues: string[] = [];
        const podProfile = scOf(spec)?.appArmorProfile;
        const pod = podProfile != null && !allowedType(podProfile.type);
        if (pod) badValues.push(String(podProfile.type ?? ''));
        const bad: string[] = [];
        for (const c of containersOf(spec)) {
          const profile = scOf(c)?.appArmorProfile;
          if (profile != null && !allowedType(profile.type)) {
            bad.push(containerName(c));
            badValues.push(String(profile.type ?? ''));
          }
        }
        const who = setters(pod, bad);
        const annotations = Object.entries(meta.annotations ?? {})
          .filter(([k, v]) => k.startsWith(ANNOTATION_PREFIX) && !allowedAnnotation(String(v)))
          .map(([k, v]) => `${k}=${goQuote(String(v))}`)
          .sort();
        const values = [...sortedSet(badValues), ...annotations];
        if (annotations.length)
          who.push(pluralize('annotation', 'annotations', annotations.length));
        if (who.length === 0) return ALLOWED;
        return forbid(
          pluralize('forbidden AppArmor profile', 'forbidden AppArmor profiles', values.length),
          `${who.join(' and ')} must not set AppArmor profile type to ${joinQuote(values)}`,
        );
      },
    },
  ],
};
