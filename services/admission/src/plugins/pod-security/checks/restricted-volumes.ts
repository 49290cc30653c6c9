// Restricted "Volume Types": only configMap, csi, downwardAPI, emptyDir, ephemeral,
// persistentVolumeClaim, projected and secret volumes.
import { ALLOWED, forbid, type Check } from '../check.js';
import { joinQuote, pluralize, sortedSet } from '../format.js';

const ALLOWED_SOURCES = [
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
];
// The order kube tests sources in when naming a volume's restricted type.
const RESTRICTED_SOURCES = [
  'hostPath',
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'gitRepo',
  'nfs',
  'iscsi',
  'glusterfs',
  'rbd',
  'flexVolume',
  'cinder',
  'cephfs',
  'flocker',
  'fc',
  'azureFile',
  'vsphereVolume',
  'quobyte',
  'azureDisk',
  'photonPersistentDisk',
  'portworxVolume',
  'scaleIO',
  'storageos',
];

export const restrictedVolumesCheck: Check = {
  id: 'restrictedVolumes',
  level: 'restricted',
  versions: [
    {
      minimumVersion: 0,
      // The restricted volume list includes hostPath, so it replaces the baseline check.
      overrides: ['hostPathVolumes'],
      checkPod(_meta, spec) {
        const bad: string[] = [];
        const types: string[] = [];
        for (const v of Array.isArray(spec.volumes) ? spec.volumes : []) {
          if (!v || ALLOWED_SOURCES.some((s) => v[s] != null)) continue;
          bad.push(String(v.name ?? ''));
          types.push(RESTRICTED_SOURCES.find((s) => v[s] != null) ?? 'unknown');
        }
        if (bad.length === 0) return ALLOWED;
        const t = sortedSet(types);
        return forbid(
          'restricted volume types',
          `${pluralize('volume', 'volumes', bad.length)} ${joinQuote(bad)} ${pluralize('uses', 'use', bad.length)} ${pluralize('restricted volume type', 'restricted volume types', t.length)} ${joinQuote(t)}`,
        );
      },
    },
  ],
};
