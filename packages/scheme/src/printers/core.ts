// core/v1 tables other than Pod: Service, ConfigMap, Secret, Namespace, Node, Event,
// ServiceAccount, Endpoints, PersistentVolumeClaim, ResourceQuota.
import type { KubeObject, Printer } from '../resource-definition.js';
import { ageColumn, col, nameColumn, wide } from './columns.js';
import { since } from './duration.js';
import { arr, compare, formatLabels, joinHostPort, num, obj, str } from './format.js';

const name = (o: KubeObject) => str(obj(o.metadata).name);
const age = (o: KubeObject, now: Date) => since(obj(o.metadata).creationTimestamp, now);

/** Sorted, de-duplicated IPs or hostnames of load-balancer ingress points. */
export function loadBalancerAddresses(status: unknown): string {
  const seen = new Set<string>();
  for (const i of arr(obj(status).ingress).map(obj)) {
    const v = str(i.ip) || str(i.hostname);
    if (v) seen.add(v);
  }
  return [...seen].sort(compare).join(',');
}

function serviceExternalIP(svc: KubeObject): string {
  const spec = obj(svc.spec);
  const externalIPs = arr(spec.externalIPs).map(str);
  switch (str(spec.type) || 'ClusterIP') {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = loadBalancerAddresses(obj(svc.status).loadBalancer);
      if (externalIPs.length) return [...(lb ? lb.split(',') : []), ...externalIPs].join(',');
      return lb || '<pending>';
    }
    case 'ExternalName':
      return str(spec.externalName);
    default:
      return '<unknown>';
  }
}

/** "80/TCP,443:30443/TCP" */
export function servicePorts(ports: unknown): string {
  return arr(ports)
    .map(obj)
    .map((p) => {
      const protocol = str(p.protocol) || 'TCP';
      return num(p.nodePort) > 0
        ? `${num(p.port)}:${num(p.nodePort)}/${protocol}`
        : `${num(p.port)}/${protocol}`;
    })
    .join(',');
}

export const servicePrinter: Printer = {
  columns: [
    nameColumn(),
    col('Type', 'string', 'type determines how the Service is exposed.'),
    col(
      'Cluster-IP',
      'string',
      'clusterIP is the IP address of the service and is usually assigned randomly.',
    ),
    col(
      'External-IP',
      'string',
      'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.',
    ),
    col('Port(s)', 'string', 'The list of ports that are exposed by this service.'),
    ageColumn(),
    wide(
      'Selector',
      'Route service traffic to pods with label keys and values matching this selector.',
    ),
  ],
  row(o, now) {
    const spec = obj(o.spec);
    const clusterIPs = arr(spec.clusterIPs).map(str);
    const internalIP = clusterIPs[0] || str(spec.clusterIP) || '<none>';
    return [
      name(o),
      str(spec.type),
      internalIP,
      serviceExternalIP(o),
      servicePorts(spec.ports) || '<none>',
      age(o, now),
      formatLabels(spec.selector),
    ];
  },
};

export const configMapPrinter: Printer = {
  columns: [
    nameColumn(),
    col('Data', 'string', 'Data contains the configuration data.'),
    ageColumn(),
  ],
  row: (o, now) => [
    name(o),
    Object.keys(obj(o.data)).length + Object.keys(obj(o.binaryData)).length,
    age(o, now),
  ],
};

export const secretPrinter: Printer = {
  columns: [
    nameColumn(),
    col('Type', 'string', 'Used to facilitate programmatic handling of secret data.'),
    col('Data', 'string', 'Data contains the secret data.'),
    ageColumn(),
  ],
  row: (o, now) => [name(o), str(o.type), Object.keys(obj(o.data)).length, age(o, now)],
};

export const serviceAccountPrinter: Printer = {
  columns: [
    nameColumn(),
    col(
      'Secrets',
      'string',
      'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.',
    ),
    ageColumn(),
  ],
  row: (o, now) => [name(o), arr(o.secrets).length, age(o, now)],
};

export const namespacePrinter: Printer = {
  columns: [nameColumn(), col('Status', 'string', 'The status of the namespace'), ageColumn()],
  row: (o, now) => [name(o), str(obj(o.status).phase), age(o, now)],
};

function nodeAddress(node: KubeObject, type: string): string {
  const a = arr(obj(node.status).addresses)
    .map(obj)
    .find((x) => x.type === type);
  return a ? str(a.address) : '<none>';
}

export function nodeRoles(node: KubeObject): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(obj(obj(node.metadata).labels))) {
    if (k.startsWith('node-role.kubernetes.io/')) {
      const role = k.slice('node-role.kubernetes.io/'.length);
      if (role) roles.add(role);
    } else if (k === 'kubernetes.io/role' && str(v) !== '') {
      roles.add(str(v));
    }
  }
  return [...roles].sort(compare).join(',') || '<none>';
}

export const nodePrinter: Printer = {
  columns: [
    nameColumn(),
    col('Status', 'string', 'The status of the node'),
    col('Roles', 'string', 'The roles of the node'),
    ageColumn(),
    col('Version', 'string', 'Kubelet Version reported by the node.'),
    wide('Internal-IP', 'List of addresses reachable to the node.'),
    wide('External-IP', 'List of addresses reachable to the node.'),
    wide(
      'OS-Image',
      'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).',
    ),
    wide(
      'Kernel-Version',
      "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).",
    ),
    wide(
      'Container-Runtime',
      'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).',
    ),
  ],
  row(o, now) {
    const status = obj(o.status);
    const info = obj(status.nodeInfo);
    const ready = arr(status.conditions)
      .map(obj)
      .find((c) => c.type === 'Ready');
    const states = [ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown'];
    if (obj(o.spec).unschedulable === true) states.push('SchedulingDisabled');
    return [
      name(o),
      states.join(','),
      nodeRoles(o),
      age(o, now),
      str(info.kubeletVersion),
      nodeAddress(o, 'InternalIP'),
      nodeAddress(o, 'ExternalIP'),
      str(info.osImage) || '<unknown>',
      str(info.kernelVersion) || '<unknown>',
      str(info.containerRuntimeVersion) || '<unknown>',
    ];
  },
};

function eventSource(e: KubeObject): string {
  const source = obj(e.source);
  const component = str(source.component) || str(e.reportingComponent);
  const instance = str(source.host) || str(e.reportingInstance);
  return instance ? `${component}, ${instance}` : component;
}

export const eventPrinter: Printer = {
  columns: [
    col(
      'Last Seen',
      'string',
      'The time at which the most recent occurrence of this event was recorded.',
    ),
    col(
      'Type',
      'string',
      'Type of this event (Normal, Warning), new types could be added in the future',
    ),
    col(
      'Reason',
      'string',
      "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.",
    ),
    col('Object', 'string', 'The object that this event is about.'),
    wide(
      'Subobject',
      'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement.',
    ),
    wide(
      'Source',
      'The component reporting this event. Should be a short machine understandable string.',
    ),
    col('Message', 'string', 'A human-readable description of the status of this operation.'),
    wide(
      'First Seen',
      'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)',
    ),
    wide('Count', 'The number of times this event has occurred.'),
    { ...wide('Name', 'Name must be unique within a namespace.'), format: 'name' },
  ],
  row(o, now) {
    const first = o.firstTimestamp ? since(o.firstTimestamp, now) : since(o.eventTime, now);
    let last = o.lastTimestamp ? since(o.lastTimestamp, now) : first;
    let count = num(o.count);
    const series = o.series === undefined || o.series === null ? undefined : obj(o.series);
    if (series) {
      last = since(series.lastObservedTime, now);
      count = num(series.count);
    } else if (count === 0) {
      count = 1; // singleton events carry no count in events.k8s.io/v1
    }
    const involved = obj(o.involvedObject);
    const kind = str(involved.kind).toLowerCase();
    const target = str(involved.name) ? `${kind}/${str(involved.name)}` : kind;
    return [
      last,
      str(o.type),
      str(o.reason),
      target,
      str(involved.fieldPath),
      eventSource(o),
      str(o.message).trim(),
      first,
      count,
      name(o),
    ];
  },
};

/** Endpoints as "10.0.0.1:80,10.0.0.2:80 + 3 more..." (at most three shown). */
export function formatEndpoints(ep: KubeObject): string {
  const subsets = arr(ep.subsets).map(obj);
  if (subsets.length === 0) return '<none>';
  const list: string[] = [];
  const max = 3;
  let count = 0;
  for (const ss of subsets) {
    const addresses = arr(ss.addresses).map(obj);
    const ports = arr(ss.ports).map(obj);
    if (ports.length === 0) {
      count += addresses.length;
      for (const a of addresses) if (list.length < max) list.push(str(a.ip));
      continue;
    }
    for (const port of ports) {
      count += addresses.length;
      for (const a of addresses)
        if (list.length < max) list.push(joinHostPort(str(a.ip), num(port.port)));
    }
  }
  const shown = list.join(',');
  return count > max ? `${shown} + ${count - max} more...` : shown;
}

export const endpointsPrinter: Printer = {
  columns: [
    nameColumn(),
    col('Endpoints', 'string', 'The set of all endpoints is the union of all subsets.'),
    ageColumn(),
  ],
  row: (o, now) => [name(o), formatEndpoints(o), age(o, now)],
};

const ACCESS_MODE_SHORT: Array<[string, string]> = [
  ['ReadWriteOnce', 'RWO'],
  ['ReadOnlyMany', 'ROX'],
  ['ReadWriteMany', 'RWX'],
  ['ReadWriteOncePod', 'RWOP'],
];

export function accessModesString(modes: unknown): string {
  const set = new Set(arr(modes).map(str));
  return ACCESS_MODE_SHORT.filter(([m]) => set.has(m))
    .map(([, s]) => s)
    .join(',');
}

export const persistentVolumeClaimPrinter: Printer = {
  columns: [
    nameColumn(),
    col('Status', 'string', 'phase represents the current phase of PersistentVolumeClaim.'),
    col(
      'Volume',
      'string',
      'volumeName is the binding reference to the PersistentVolume backing this claim.',
    ),
    col('Capacity', 'string', 'capacity represents the actual resources of the underlying volume.'),
    col(
      'Access Modes',
      'string',
      'accessModes contains the actual access modes the volume backing the PVC has.',
    ),
    col('StorageClass', 'string', 'StorageClass of the pvc'),
    col('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pvc'),
    ageColumn(),
    wide('VolumeMode', 'volumeMode defines what type of volume is required by the claim.'),
  ],
  row(o, now) {
    const spec = obj(o.spec);
    const status = obj(o.status);
    const meta = obj(o.metadata);
    const phase = meta.deletionTimestamp ? 'Terminating' : str(status.phase);
    const bound = str(spec.volumeName) !== '';
    const storageClass =
      typeof spec.storageClassName === 'string'
        ? spec.storageClassName
        : str(obj(meta.annotations)['volume.beta.kubernetes.io/storage-class']);
    return [
      name(o),
      phase,
      str(spec.volumeName),
      bound ? str(obj(status.capacity).storage) : '',
      bound ? accessModesString(status.accessModes) : '',
      storageClass,
      typeof spec.volumeAttributesClassName === 'string'
        ? spec.volumeAttributesClassName
        : '<unset>',
      age(o, now),
      typeof spec.volumeMode === 'string' ? spec.volumeMode : '<unset>',
    ];
  },
};

export const resourceQuotaPrinter: Printer = {
  columns: [
    nameColumn(),
    col(
      'Request',
      'string',
      'Request represents a minimum amount of cpu/memory that a container may consume.',
    ),
    col(
      'Limit',
      'string',
      'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.',
    ),
    ageColumn(),
  ],
  row(o, now) {
    const status = obj(o.status);
    const hard = obj(status.hard);
    const used = obj(status.used);
    const requests: string[] = [];
    const limits: string[] = [];
    for (const resource of Object.keys(hard).sort(compare)) {
      const cell = `${resource}: ${str(used[resource]) || '0'}/${str(hard[resource])}`;
      (resource.split('.')[0] === 'limits' && resource.includes('.') ? limits : requests).push(
        cell,
      );
    }
    return [name(o), requests.join(', '), limits.join(', '), age(o, now)];
  },
};
