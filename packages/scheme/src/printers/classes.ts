// Tables for the cluster-scoped "class" kinds: PriorityClass, StorageClass, IngressClass
// and RuntimeClass, with kube's columns (descriptions are the Go doc comments).
import type { KubeObject, Printer } from '../resource-definition.js';
import { ageColumn, col, nameColumn } from './columns.js';
import { since } from './duration.js';
import { obj, str } from './format.js';

const name = (o: KubeObject) => str(obj(o.metadata).name);
const age = (o: KubeObject, now: Date) => since(obj(o.metadata).creationTimestamp, now);

export const priorityClassPrinter: Printer = {
  columns: [
    nameColumn(),
    col(
      'Value',
      'integer',
      'value represents the integer value of this priority class. This is the actual priority that pods receive when they have the name of this class in their pod spec.',
    ),
    col(
      'Global-Default',
      'boolean',
      'globalDefault specifies whether this PriorityClass should be considered as the default priority for pods that do not have any priority class. Only one PriorityClass can be marked as `globalDefault`. However, if more than one PriorityClasses exists with their `globalDefault` field set to true, the smallest value of such global default PriorityClasses will be used as the default priority.',
    ),
    ageColumn(),
    col(
      'PreemptionPolicy',
      'string',
      'preemptionPolicy is the Policy for preempting pods with lower priority. One of Never, PreemptLowerPriority. Defaults to PreemptLowerPriority if unset.',
    ),
  ],
  row: (o, now) => [
    name(o),
    typeof o['value'] === 'number' ? o['value'] : 0,
    o['globalDefault'] === true,
    age(o, now),
    typeof o['preemptionPolicy'] === 'string' ? o['preemptionPolicy'] : '<none>',
  ],
};

const DEFAULT_CLASS_ANNOTATIONS = [
  'storageclass.kubernetes.io/is-default-class',
  'storageclass.beta.kubernetes.io/is-default-class',
];

export const storageClassPrinter: Printer = {
  columns: [
    nameColumn(),
    col('Provisioner', 'string', 'provisioner indicates the type of the provisioner.'),
    col(
      'ReclaimPolicy',
      'string',
      'reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class. Defaults to Delete.',
    ),
    col(
      'VolumeBindingMode',
      'string',
      'volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.  When unset, VolumeBindingImmediate is used. This field is only honored by servers that enable the VolumeScheduling feature.',
    ),
    col(
      'AllowVolumeExpansion',
      'string',
      'allowVolumeExpansion shows whether the storage class allow volume expand.',
    ),
    ageColumn(),
  ],
  row(o, now) {
    const annotations = obj(obj(o.metadata).annotations);
    const isDefault = DEFAULT_CLASS_ANNOTATIONS.some((a) => annotations[a] === 'true');
    return [
      isDefault ? `${name(o)} (default)` : name(o),
      str(o['provisioner']),
      typeof o['reclaimPolicy'] === 'string' ? o['reclaimPolicy'] : 'Delete',
      typeof o['volumeBindingMode'] === 'string' ? o['volumeBindingMode'] : 'Immediate',
      o['allowVolumeExpansion'] === true,
      age(o, now),
    ];
  },
};

export const ingressClassPrinter: Printer = {
  columns: [
    nameColumn(),
    col('Controller', 'string', 'Controller that is responsible for handling this class'),
    col('Parameters', 'string', 'A reference to a resource with additional parameters'),
    ageColumn(),
  ],
  row(o, now) {
    const spec = obj(o.spec);
    let parameters = '<none>';
    if (spec.parameters !== undefined && spec.parameters !== null) {
      const p = obj(spec.parameters);
      parameters = str(p.kind);
      if (typeof p.apiGroup === 'string') parameters += `.${p.apiGroup}`;
      parameters += `/${str(p.name)}`;
    }
    return [name(o), str(spec.controller), parameters, age(o, now)];
  },
};

export const runtimeClassPrinter: Printer = {
  // kube takes the Handler description from ObjectMeta's docs, which have none: it is empty.
  columns: [nameColumn(), col('Handler', 'string', ''), ageColumn()],
  row: (o, now) => [name(o), str(o['handler']), age(o, now)],
};
