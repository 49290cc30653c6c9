// Seeding realistic pods through the API, as a kubelet-run cluster would have them: a create
// (the registry resets status on create, as kube does) then a status update, so every stored
// pod carries the full status of podManifest.
import type { Agent } from 'node:https';
import { call, pool } from './client.js';
import { podManifest } from './pods.js';

export async function createNamespaces(agent: Agent, base: string, names: string[]) {
  for (const name of names) {
    await call(agent, base, 'POST', '/api/v1/namespaces', {
      body: JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }),
    });
  }
}

export interface SeedOptions {
  namespaces: string[];
  nodes: number;
  /** Sequence numbers [from, to): pod `pod-<seq>` in namespace seq % namespaces. */
  from: number;
  to: number;
  inFlight?: number;
}

export async function seedPods(agent: Agent, bases: string[], o: SeedOptions): Promise<void> {
  await pool(o.to - o.from, o.inFlight ?? 32, async (i) => {
    const seq = o.from + i;
    const base = bases[seq % bases.length]!;
    const namespace = o.namespaces[seq % o.namespaces.length]!;
    const pod = podManifest({
      namespace,
      name: `pod-${seq}`,
      nodeName: `node-${seq % o.nodes}`,
      seq,
    });
    await call(agent, base, 'POST', `/api/v1/namespaces/${namespace}/pods`, {
      body: JSON.stringify(pod),
    });
    await call(agent, base, 'PATCH', `/api/v1/namespaces/${namespace}/pods/pod-${seq}/status`, {
      body: JSON.stringify({ status: pod['status'] }),
      contentType: 'application/merge-patch+json',
    });
  });
}
