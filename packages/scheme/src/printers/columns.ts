// Column definitions reused across printers. The Name and Age descriptions are the
// ObjectMeta field docs, as kube puts them in every table.
import type { PrinterColumn } from '../resource-definition.js';

export const NAME_DESCRIPTION =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';

export const CREATION_TIMESTAMP_DESCRIPTION =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

export const nameColumn = (): PrinterColumn => ({
  name: 'Name',
  type: 'string',
  format: 'name',
  description: NAME_DESCRIPTION,
});

export const ageColumn = (): PrinterColumn => ({
  name: 'Age',
  type: 'string',
  description: CREATION_TIMESTAMP_DESCRIPTION,
});

export function col(
  name: string,
  type: PrinterColumn['type'],
  description: string,
  priority = 0,
): PrinterColumn {
  return priority ? { name, type, description, priority } : { name, type, description };
}

export const wide = (name: string, description: string, type: PrinterColumn['type'] = 'string') =>
  col(name, type, description, 1);

export const CONTAINERS = () => wide('Containers', 'Names of each container in the template.');
export const IMAGES = () => wide('Images', 'Images referenced by each container in the template.');
