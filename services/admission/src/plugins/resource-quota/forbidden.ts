// kube's admission.NewForbidden: `<resource> "<name>" is forbidden: <why>`, the name taken
// from the request, else the object, else its generateName, else "Unknown".
import { newForbidden, type StatusError } from '@splitplane/apimachinery';
import type { AdmissionAttributes } from '../../chain/plugin.js';

export function quotaForbidden(attrs: AdmissionAttributes, why: string): StatusError {
  const m = attrs.object?.metadata;
  const name = attrs.name || m?.name || m?.generateName || 'Unknown';
  return newForbidden(
    { group: attrs.resource.group, resource: attrs.resource.resource },
    name,
    why,
  );
}
