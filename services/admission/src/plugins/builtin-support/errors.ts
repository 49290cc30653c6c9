// kube's admission.NewForbidden: "<resource> "<name>" is forbidden: <why>", the name
// falling back to the object's and then to "Unknown".
import { newForbidden, type StatusError } from '@splitplane/apimachinery';
import type { AdmissionAttributes } from '../../chain/plugin.js';

export function admissionForbidden(attrs: AdmissionAttributes, why: string): StatusError {
  const name = attrs.name || attrs.object?.metadata?.name || 'Unknown';
  return newForbidden(
    { group: attrs.resource.group, resource: attrs.resource.resource },
    name,
    why,
  );
}

/** Same group and resource, versions aside. */
export const isResource = (attrs: AdmissionAttributes, group: string, resource: string) =>
  attrs.resource.group === group && attrs.resource.resource === resource;
