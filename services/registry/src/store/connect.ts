// CONNECT subresources of pods (exec, attach, portforward): kube's ConnectResource handler
// runs admission with operation CONNECT on the connect options (PodExecOptions, ...), then
// the pod REST finds the kubelet to proxy to. splitplane has no kubelet connection, so it
// answers everything kube answers before the proxy step (the pod is missing, the container is
// not the pod's, the pod has no node) exactly, and 503 where kube would start proxying.
import {
  newBadRequest,
  newMethodNotSupported,
  newNotFound,
  newServiceUnavailable,
} from '@splitplane/apimachinery';
import { groupResourceOf, type KubeObject } from '@splitplane/scheme';
import { admit, validateAdmission } from './admission-steps.js';
import type { WriteContext, WriteResult } from './context.js';
import type { Store } from './store.js';

/** The connect subresources of core/v1 pods and the kind of their options object. */
export const POD_CONNECT_OPTIONS: Readonly<Record<string, string>> = {
  exec: 'PodExecOptions',
  attach: 'PodAttachOptions',
  portforward: 'PodPortForwardOptions',
};

interface Container {
  name?: string;
}

function decodeOptions(bytes: Uint8Array, kind: string): KubeObject {
  let raw: unknown = {};
  if (bytes.length > 0) {
    try {
      raw = JSON.parse(Buffer.from(bytes).toString('utf8'));
    } catch (err) {
      throw newBadRequest(`the connect options are not valid JSON: ${(err as Error).message}`, err);
    }
  }
  const o = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? raw : {};
  return { ...(o as KubeObject), kind, apiVersion: 'v1' };
}

export async function connect(
  store: Store,
  ctx: WriteContext,
  optionsBytes: Uint8Array,
): Promise<WriteResult> {
  const { def, name } = ctx;
  const optionsKind =
    def.group === '' && def.kind === 'Pod' ? POD_CONNECT_OPTIONS[ctx.subresource] : undefined;
  if (!optionsKind) throw newMethodNotSupported(groupResourceOf(def), 'connect');
  const options = decodeOptions(optionsBytes, optionsKind);
  const kind = { group: '', version: 'v1', kind: optionsKind };
  // kube: mutating then validating admission, object = the options, no old object or options.
  const admitted = (await admit(store, ctx, 'CONNECT', options, undefined, undefined, kind))!;
  await validateAdmission(store, ctx, 'CONNECT', admitted, undefined, undefined, kind);

  const got = await store.storage.get(
    store.key(def, ctx.namespace, name),
    ctx.deadline ? { deadline: ctx.deadline } : {},
  );
  if (!got) throw newNotFound(groupResourceOf(def), name);
  const spec = (got.obj['spec'] ?? {}) as {
    containers?: Container[];
    initContainers?: Container[];
    ephemeralContainers?: Container[];
    nodeName?: string;
  };
  if (ctx.subresource !== 'portforward') checkContainer(spec, name, admitted['container']);
  if (!spec.nodeName) throw newBadRequest(`pod ${name} does not have a host assigned`);
  throw newServiceUnavailable(
    `error dialing backend: no kubelet connection to node ${spec.nodeName} (splitplane does not proxy to kubelets)`,
  );
}

/** kube's streamLocation container choice: the only container, or a named one the pod has. */
function checkContainer(
  spec: {
    containers?: Container[];
    initContainers?: Container[];
    ephemeralContainers?: Container[];
  },
  pod: string,
  requested: unknown,
): void {
  const names = (list: Container[] | undefined) => (list ?? []).map((c) => c.name ?? '');
  const containers = names(spec.containers);
  const container = typeof requested === 'string' ? requested : '';
  if (container === '') {
    if (containers.length === 1) return;
    if (containers.length === 0) {
      throw newBadRequest(`a container name must be specified for pod ${pod}`);
    }
    const init = names(spec.initContainers);
    let msg = `a container name must be specified for pod ${pod}, choose one of: [${containers.join(' ')}]`;
    if (init.length > 0) msg += ` or one of the init containers: [${init.join(' ')}]`;
    throw newBadRequest(msg);
  }
  const all = [...containers, ...names(spec.initContainers), ...names(spec.ephemeralContainers)];
  if (!all.includes(container)) {
    throw newBadRequest(`container ${container} is not valid for pod ${pod}`);
  }
}
