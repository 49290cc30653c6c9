// The kubeconfig file of --authorization-webhook-config-file: the remote service is the
// current context's cluster (server, certificate authority) and the caller the context's
// user (client certificate and key, or a bearer token). Relative paths are relative to the
// file, as in kube.
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse } from 'yaml';

export interface WebhookConnection {
  /** https (or http) URL the SubjectAccessReview is POSTed to. */
  server: string;
  ca?: Buffer;
  insecureSkipTLSVerify: boolean;
  tlsServerName?: string;
  cert?: Buffer;
  key?: Buffer;
  token?: string;
}

export class WebhookConfigError extends Error {
  constructor(file: string, message: string, options?: ErrorOptions) {
    super(`authorization webhook config ${file}: ${message}`, options);
    this.name = 'WebhookConfigError';
  }
}

interface Named {
  name?: string;
  [key: string]: unknown;
}

type Entry = Record<string, unknown>;

function pick(list: unknown, key: string, name: string | undefined): Entry | undefined {
  if (!Array.isArray(list) || list.length === 0) return undefined;
  const entries = list as Named[];
  const found = name === undefined ? entries[0] : entries.find((e) => e.name === name);
  const value = found?.[key];
  return value && typeof value === 'object' ? (value as Entry) : undefined;
}

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

export function loadWebhookKubeconfig(file: string): WebhookConnection {
  let doc: Entry;
  try {
    doc = (parse(readFileSync(file, 'utf8')) ?? {}) as Entry;
  } catch (err) {
    throw new WebhookConfigError(file, (err as Error).message, { cause: err });
  }
  const base = dirname(file);
  const readPath = (p: string) => {
    const path = isAbsolute(p) ? p : resolve(base, p);
    try {
      return readFileSync(path);
    } catch (err) {
      throw new WebhookConfigError(file, `cannot read ${path}: ${(err as Error).message}`, {
        cause: err,
      });
    }
  };
  const dataOrFile = (entry: Entry | undefined, field: string): Buffer | undefined => {
    const data = str(entry?.[`${field}-data`]);
    if (data) return Buffer.from(data, 'base64');
    const path = str(entry?.[field]);
    return path ? readPath(path) : undefined;
  };

  const currentName = str(doc['current-context']);
  const context = pick(doc['contexts'], 'context', currentName);
  if (currentName && !context)
    throw new WebhookConfigError(file, `context "${currentName}" not found`);
  const cluster = pick(doc['clusters'], 'cluster', str(context?.['cluster']));
  if (!cluster) throw new WebhookConfigError(file, 'no cluster');
  const server = str(cluster['server']);
  if (!server) throw new WebhookConfigError(file, 'the cluster has no server');
  try {
    new URL(server);
  } catch (err) {
    throw new WebhookConfigError(file, `invalid server URL ${JSON.stringify(server)}`, {
      cause: err,
    });
  }
  const user = pick(doc['users'], 'user', str(context?.['user']));
  const tokenFile = str(user?.['tokenFile']);
  const token =
    str(user?.['token']) ?? (tokenFile ? readPath(tokenFile).toString('utf8').trim() : undefined);
  const connection: WebhookConnection = {
    server,
    insecureSkipTLSVerify: cluster['insecure-skip-tls-verify'] === true,
  };
  const ca = dataOrFile(cluster, 'certificate-authority');
  if (ca) connection.ca = ca;
  const serverName = str(cluster['tls-server-name']);
  if (serverName) connection.tlsServerName = serverName;
  const cert = dataOrFile(user, 'client-certificate');
  const key = dataOrFile(user, 'client-key');
  if (!!cert !== !!key) {
    throw new WebhookConfigError(file, 'client-certificate and client-key must be given together');
  }
  if (cert && key) {
    connection.cert = cert;
    connection.key = key;
  }
  if (token) connection.token = token;
  return connection;
}
