// Tables for networking, discovery, coordination, policy and RBAC kinds.
import type { KubeObject, Printer } from '../resource-definition.js';
import { ageColumn, col, nameColumn, wide } from './columns.js';
import { since } from './duration.js';
import { arr, formatLabelSelector, intOrString, listWithMore, num, obj, str } from './format.js';
import { loadBalancerAddresses } from './core.js';

const name = (o: KubeObject) => str(obj(o.metadata).name);
const age = (o: KubeObject, now: Date) => since(obj(o.metadata).creationTimestamp, now);

function ingressHosts(rules: unknown): string {
  const all = arr(rules).map(obj);
  const max = 3;
  const list: string[] = [];
  let more = false;
  for (const rule of all) {
    if (list.length === max) more = true;
    if (!more && str(rule.host) !== '') list.push(str(rule.host));
  }
  if (list.length === 0) return '*';
  return more ? `${list.join(',')} + ${all.length - max} more...` : list.join(',');
}

export const ingressPrinter: Printer = {
  columns: [
    nameColumn(),
    col(
      'Class',
      'string',
      'The name of the IngressClass resource that should be used for additional configuration',
    ),
    col(
      'Hosts',
      'string',
      'Hosts that incoming requests are matched against before the ingress rule',
    ),
    col('Address', 'string', 'Address is a list containing ingress points for the load-balancer'),
    col('Ports', 'string', 'Ports of TLS configurations that open'),
    ageColumn(),
  ],
  row(o, now) {
    const spec = obj(o.spec);
    return [
      name(o),
      typeof spec.ingressClassName === 'string' ? spec.ingressClassName : '<none>',
      ingressHosts(spec.rules),
      loadBalancerAddresses(obj(o.status).loadBalancer),
      arr(spec.tls).length ? '80, 443' : '80',
      age(o, now),
    ];
  },
};

export const networkPolicyPrinter: Printer = {
  columns: [
    nameColumn(),
    col('Pod-Selector', 'string', 'Selects the pods to which this NetworkPolicy object applies.'),
    ageColumn(),
  ],
  row: (o, now) => [name(o), formatLabelSelector(obj(obj(o.spec).podSelector)), age(o, now)],
};

export const endpointSlicePrinter: Printer = {
  columns: [
    nameColumn(),
    col(
      'AddressType',
      'string',
      'addressType specifies the type of address carried by this EndpointSlice.',
    ),
    col(
      'Ports',
      'string',
      'ports specifies the list of network ports exposed by each endpoint in this slice.',
    ),
    col('Endpoints', 'string', 'endpoints is a list of unique endpoints in this slice.'),
    ageColumn(),
  ],
  row(o, now) {
    const ports = arr(o.ports).map(obj);
    const portList = ports.map((p) =>
      typeof p.port === 'number' ? String(p.port) : typeof p.name === 'string' ? p.name : '*',
    );
    const addresses = arr(o.endpoints).flatMap((e) => arr(obj(e).addresses).map(str));
    return [
      name(o),
      str(o.addressType),
      listWithMore(portList, portList.length, 3),
      listWithMore(addresses, addresses.length, 3),
      age(o, now),
    ];
  },
};

export const leasePrinter: Printer = {
  columns: [
    nameColumn(),
    col(
      'Holder',
      'string',
      'holderIdentity contains the identity of the holder of a current lease.',
    ),
    ageColumn(),
  ],
  row: (o, now) => [name(o), str(obj(o.spec).holderIdentity), age(o, now)],
};

export const podDisruptionBudgetPrinter: Printer = {
  columns: [
    nameColumn(),
    col('Min Available', 'string', 'The minimum number of pods that must be available.'),
    col('Max Unavailable', 'string', 'The maximum number of pods that may be unavailable.'),
    col(
      'Allowed Disruptions',
      'integer',
      'Calculated number of pods that may be disrupted at this time.',
    ),
    ageColumn(),
  ],
  row(o, now) {
    const spec = obj(o.spec);
    const present = (v: unknown) => v !== undefined && v !== null;
    return [
      name(o),
      present(spec.minAvailable) ? intOrString(spec.minAvailable) : 'N/A',
      present(spec.maxUnavailable) ? intOrString(spec.maxUnavailable) : 'N/A',
      num(obj(o.status).disruptionsAllowed),
      age(o, now),
    ];
  },
};

/** Users, groups and service accounts ("ns/name") of a binding's subjects. */
export function subjectsStrings(subjects: unknown): [string[], string[], string[]] {
  const users: string[] = [];
  const groups: string[] = [];
  const sas: string[] = [];
  for (const s of arr(subjects).map(obj)) {
    if (s.kind === 'User') users.push(str(s.name));
    else if (s.kind === 'Group') groups.push(str(s.name));
    else if (s.kind === 'ServiceAccount') sas.push(`${str(s.namespace)}/${str(s.name)}`);
  }
  return [users, groups, sas];
}

function bindingPrinter(what: string): Printer {
  return {
    columns: [
      nameColumn(),
      col(
        'Role',
        'string',
        'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace.',
      ),
      ageColumn(),
      wide('Users', `Users in the ${what}`),
      wide('Groups', `Groups in the ${what}`),
      wide('ServiceAccounts', `ServiceAccounts in the ${what}`),
    ],
    row(o, now) {
      const ref = obj(o.roleRef);
      const [users, groups, sas] = subjectsStrings(o.subjects);
      return [
        name(o),
        `${str(ref.kind)}/${str(ref.name)}`,
        age(o, now),
        users.join(', '),
        groups.join(', '),
        sas.join(', '),
      ];
    },
  };
}

export const roleBindingPrinter = bindingPrinter('roleBinding');
export const clusterRoleBindingPrinter = bindingPrinter('clusterRoleBinding');
