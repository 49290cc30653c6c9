// CONNECT subresources of pods (exec, attach, portforward), GET or POST as kube serves them
// (authorized as get/create on pods/<subresource>). The query becomes the options object
// kube's ConnectResource decodes (PodExecOptions, ...); the registry runs admission with
// operation CONNECT on it and answers as kube-apiserver does up to the kubelet proxy step.
import { newBadRequest } from '@splitplane/apimachinery';
import type { ConnectRequest, WriteResponse } from '@splitplane/proto';
import type { ResourceDefinition } from '@splitplane/scheme';
import { unaryCall } from '../backends/unary.js';
import { type ResourceRequest, attributes, scopeOf, sendObject } from './resource-request.js';

const POD_CONNECT = new Set(['exec', 'attach', 'portforward']);

/** Whether `subresource` of `def` is a connect subresource splitplane serves. */
export function isConnectSubresource(def: ResourceDefinition, subresource: string): boolean {
  return def.group === '' && def.plural === 'pods' && POD_CONNECT.has(subresource);
}

/** Go's strconv.ParseBool, as kube's query conversion uses it. */
function parseBool(name: string, value: string): boolean {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  throw newBadRequest(`strconv.ParseBool: parsing "${value}": invalid syntax (${name})`);
}

/** The connect options kube decodes from the query, as its JSON (false/empty omitted). */
export function connectOptions(
  subresource: string,
  query: URLSearchParams,
): Record<string, unknown> {
  const opts: Record<string, unknown> = {};
  if (subresource === 'portforward') {
    const ports = query.getAll('ports').flatMap((p) => p.split(','));
    if (ports.length > 0) opts['ports'] = ports.map((p) => Number(p));
    return opts;
  }
  for (const flag of ['stdin', 'stdout', 'stderr', 'tty']) {
    const v = query.get(flag);
    if (v !== null && parseBool(flag, v)) opts[flag] = true;
  }
  const container = query.get('container');
  if (container) opts['container'] = container;
  if (subresource === 'exec') opts['command'] = query.getAll('command');
  return opts;
}

export async function handleConnect(r: ResourceRequest): Promise<void> {
  const sub = r.ctx.info.subresource;
  const request: ConnectRequest = {
    attributes: attributes(r),
    options: Buffer.from(JSON.stringify(connectOptions(sub, r.query))),
  };
  const client = r.deps.registry;
  const response = await unaryCall<ConnectRequest, WriteResponse>(
    client,
    client.connect,
    request,
    scopeOf(r),
    'registry',
  );
  sendObject(r, response);
}
