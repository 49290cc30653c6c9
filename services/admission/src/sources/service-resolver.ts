// Where a service-backed webhook is dialled (kube's ResolveEndpoint, as with aggregator
// routing: there is no kube-proxy in front of a ClusterIP here). ExternalName services dial
// their externalName; others a ready endpoint of the matching port, from EndpointSlices or,
// when a service has none, its Endpoints. The URL and TLS server name stay
// `<name>.<namespace>.svc`, so the webhook's certificate is verified against that name.
import type { ReadonlyStore } from '@splitplane/informer';
import type { KubeObject } from '@splitplane/scheme';
import type { ServiceResolver } from '../webhook/index.js';

export class ServiceResolutionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServiceResolutionError';
  }
}

export interface ServiceStores {
  services: ReadonlyStore;
  endpoints: ReadonlyStore;
  endpointSlices: ReadonlyStore;
}

interface ServicePort {
  name?: string;
  port?: number;
  targetPort?: number | string;
}

interface ServiceObject extends KubeObject {
  spec?: { type?: string; externalName?: string; ports?: ServicePort[] };
}

interface EndpointPort {
  name?: string;
  port?: number;
}

interface EndpointsObject extends KubeObject {
  subsets?: { addresses?: { ip?: string }[]; ports?: EndpointPort[] }[];
}

interface EndpointSliceObject extends KubeObject {
  addressType?: string;
  endpoints?: { addresses?: string[]; conditions?: { ready?: boolean | null } }[];
  ports?: EndpointPort[] | null;
}

const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;

export class InformerServiceResolver implements ServiceResolver {
  constructor(private readonly stores: ServiceStores) {}

  resolve(namespace: string, name: string, port: number): { host: string; port: number } {
    const svc = this.stores.services.get(namespace, name) as ServiceObject | undefined;
    if (!svc) throw new ServiceResolutionError(`service "${name}" not found`);
    const type = svc.spec?.type ?? 'ClusterIP';
    if (type === 'ExternalName') {
      const host = svc.spec?.externalName ?? '';
      if (!host) throw new ServiceResolutionError(`service "${name}" has no externalName`);
      return { host, port };
    }
    if (type !== 'ClusterIP' && type !== 'NodePort' && type !== 'LoadBalancer')
      throw new ServiceResolutionError(`unsupported service type "${type}"`);
    const svcPort = (svc.spec?.ports ?? []).find((p) => p.port === port);
    if (!svcPort)
      throw new ServiceResolutionError(`no service port ${port} found for service "${name}"`);
    const portName = svcPort.name ?? '';
    const candidates =
      this.#fromSlices(namespace, name, portName) ?? this.#fromEndpoints(namespace, name, portName);
    if (candidates.length === 0)
      throw new ServiceResolutionError(`no endpoints available for service "${name}"`);
    return pick(candidates);
  }

  /** undefined when the service has no EndpointSlices at all (then Endpoints decide). */
  #fromSlices(
    namespace: string,
    name: string,
    portName: string,
  ): { host: string; port: number }[] | undefined {
    const slices = this.stores.endpointSlices
      .byIndex('namespace', namespace)
      .filter((s) => s.metadata?.labels?.[SERVICE_NAME_LABEL] === name) as EndpointSliceObject[];
    if (slices.length === 0) return undefined;
    const out: { host: string; port: number }[] = [];
    for (const slice of slices) {
      if (slice.addressType === 'FQDN') continue;
      const p = (slice.ports ?? []).find((sp) => (sp.name ?? '') === portName);
      if (p?.port === undefined) continue;
      for (const ep of slice.endpoints ?? []) {
        // A nil ready condition means ready (EndpointSlice API).
        if (ep.conditions?.ready === false) continue;
        const address = ep.addresses?.[0];
        if (address) out.push({ host: address, port: p.port });
      }
    }
    return out;
  }

  #fromEndpoints(
    namespace: string,
    name: string,
    portName: string,
  ): { host: string; port: number }[] {
    const eps = this.stores.endpoints.get(namespace, name) as EndpointsObject | undefined;
    const out: { host: string; port: number }[] = [];
    for (const subset of eps?.subsets ?? []) {
      const p = (subset.ports ?? []).find((sp) => (sp.name ?? '') === portName);
      if (p?.port === undefined) continue;
      for (const a of subset.addresses ?? []) if (a.ip) out.push({ host: a.ip, port: p.port });
    }
    return out;
  }
}
