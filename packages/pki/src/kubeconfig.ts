import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { stringify } from 'yaml';

export interface KubeconfigOptions {
  /** https URL of the API server, e.g. https://127.0.0.1:6443 */
  server: string;
  caPem: string;
  certPem: string;
  keyPem: string;
  /** Name of the user entry; also used for the cluster entry when `cluster` is unset. */
  user: string;
  /** Name of the context, which becomes current-context. */
  context: string;
  cluster?: string;
}

const b64 = (pem: string) => Buffer.from(pem, 'utf8').toString('base64');

/** Renders a self-contained kubeconfig: credentials are embedded so the file can be moved. */
export function renderKubeconfig(opts: KubeconfigOptions): string {
  const cluster = opts.cluster ?? opts.context;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    clusters: [
      {
        name: cluster,
        cluster: { server: opts.server, 'certificate-authority-data': b64(opts.caPem) },
      },
    ],
    users: [
      {
        name: opts.user,
        user: { 'client-certificate-data': b64(opts.certPem), 'client-key-data': b64(opts.keyPem) },
      },
    ],
    contexts: [{ name: opts.context, context: { cluster, user: opts.user } }],
    'current-context': opts.context,
  });
}

/** Writes the kubeconfig with mode 0600 (it holds a private key), atomically via rename. */
export async function writeKubeconfig(path: string, opts: KubeconfigOptions): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, renderKubeconfig(opts), { mode: 0o600 });
  await rename(tmp, path);
}
