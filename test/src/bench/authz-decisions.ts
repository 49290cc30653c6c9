// How many authorization decisions one authz replica makes per second over gRPC, asked as
// the gateway asks them (its internal certificate), with a realistic RBAC set: the bootstrap
// policy plus `--bindings` RoleBindings (users bound to view/edit/admin in 10 namespaces)
// and a ClusterRoleBinding per 10 of them (groups bound to view). `--concurrency` callers
// ask a mix of allowed and not-allowed questions for `--seconds`; `--runs` runs, median.
//   node test/dist/bench/authz-decisions.js [--seconds 5] [--concurrency 16] [--runs 3]
//     [--bindings 300]
import { parseArgs } from 'node:util';
import { call as grpcCall, dial } from '@splitplane/kit';
import { AuthorizerClient, Decision, type AuthorizeRequest } from '@splitplane/proto';
import { call, newAgent, pool } from './lib/client.js';
import { gatewayGrpcCredentials } from './lib/grpc-list.js';
import { loadLine, machineLine } from './lib/machine.js';
import { flagOf, startPlane, waitUntil } from './lib/plane.js';
import { fmt, median } from './lib/stats.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '16' },
    runs: { type: 'string', default: '3' },
    bindings: { type: 'string', default: '300' },
  },
});
const seconds = Number(values.seconds);
const concurrency = Number(values.concurrency);
const runs = Number(values.runs);
const bindings = Number(values.bindings);
const NAMESPACES = Array.from({ length: 10 }, (_, i) => `bench-${i}`);
const ROLES = ['view', 'edit', 'admin'];
const command = `node test/dist/bench/authz-decisions.js --seconds ${seconds} --concurrency ${concurrency} --runs ${runs} --bindings ${bindings}`;

console.log(`authz decisions: ${command}\n${machineLine()}`);
const plane = await startPlane();
try {
  const agent = newAgent(plane.credentials, 16, 2000);
  const base = plane.gateways[0]!;
  const post = (path: string, obj: unknown) =>
    call(agent, base, 'POST', path, { body: JSON.stringify(obj) });
  for (const ns of NAMESPACES) {
    await post('/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: ns },
    });
  }
  await pool(bindings, 16, async (i) => {
    const ns = NAMESPACES[i % NAMESPACES.length]!;
    await post(`/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/rolebindings`, {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: `user-${i}`, namespace: ns },
      subjects: [{ kind: 'User', name: `user-${i}`, apiGroup: 'rbac.authorization.k8s.io' }],
      roleRef: {
        kind: 'ClusterRole',
        name: ROLES[i % ROLES.length],
        apiGroup: 'rbac.authorization.k8s.io',
      },
    });
  });
  const groups = Math.max(1, Math.floor(bindings / 10));
  await pool(groups, 16, async (j) => {
    await post('/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: `team-${j}-view` },
      subjects: [{ kind: 'Group', name: `team-${j}`, apiGroup: 'rbac.authorization.k8s.io' }],
      roleRef: { kind: 'ClusterRole', name: 'view', apiGroup: 'rbac.authorization.k8s.io' },
    });
  });
  agent.destroy();

  const authz = plane.processes.find((p) => p.name === 'authz')!;
  const client = dial(
    AuthorizerClient,
    flagOf(authz.pid, 'listen-address')!,
    await gatewayGrpcCredentials(plane.dataDir),
  );
  const ask = (
    username: string,
    groups: string[],
    verb: string,
    group: string,
    resource: string,
    namespace: string,
    name = '',
  ): AuthorizeRequest => ({
    user: { username, uid: '', groups: [...groups, 'system:authenticated'], extra: {} },
    verb,
    resourceRequest: true,
    path: '',
    apiGroup: group,
    apiVersion: 'v1',
    resource,
    subresource: '',
    namespace,
    name,
  });
  const last = bindings - 1;
  await waitUntil('authz sees the last binding', 60_000, async () => {
    const r = await grpcCall(
      client,
      client.authorize,
      ask(`user-${last}`, [], 'get', '', 'pods', NAMESPACES[last % NAMESPACES.length]!, 'p'),
    );
    return r.decision === Decision.DECISION_ALLOW;
  });

  // The mix: a bound user in its namespace (allow), the same user elsewhere (no opinion),
  // a team member reading cluster-wide (allow via a ClusterRoleBinding), a user with no
  // binding at all (no opinion), and a discovery URL (allow via system:discovery).
  const mix = (i: number): AuthorizeRequest => {
    const u = i % bindings;
    const ns = NAMESPACES[u % NAMESPACES.length]!;
    switch (i % 5) {
      case 0:
        return ask(`user-${u}`, [], 'get', '', 'configmaps', ns, 'cm');
      case 1:
        return ask(
          `user-${u}`,
          [],
          'delete',
          'apps',
          'deployments',
          NAMESPACES[(u + 1) % NAMESPACES.length]!,
          'd',
        );
      case 2:
        return ask(`member-${u}`, [`team-${u % groups}`], 'list', 'apps', 'deployments', '');
      case 3:
        return ask(`stranger-${u}`, [], 'get', '', 'secrets', ns, 's');
      default:
        return {
          ...ask(`user-${u}`, [], 'get', '', '', ''),
          resourceRequest: false,
          path: '/apis/apps/v1',
        };
    }
  };

  const rates: number[] = [];
  for (let run = 1; run <= runs; run++) {
    let done = 0;
    let allowed = 0;
    const deadline = Date.now() + seconds * 1000;
    const t0 = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: concurrency }, async (_, c) => {
        let i = c;
        while (Date.now() < deadline) {
          const r = await grpcCall(client, client.authorize, mix(i));
          if (r.decision === Decision.DECISION_ALLOW) allowed++;
          done++;
          i += concurrency;
        }
      }),
    );
    const elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
    rates.push(done / elapsed);
    console.log(
      `run ${run}: ${done} decisions in ${fmt(elapsed, 2)} s = ${fmt(done / elapsed, 0)}/s (${fmt((100 * allowed) / done, 0)}% allowed; ${loadLine()})`,
    );
  }
  client.close();
  console.log(
    `\nmedian of ${runs} runs: ${fmt(median(rates), 0)} decisions/s (1 authz replica, ${concurrency} concurrent callers, ${bindings} RoleBindings + ${groups} ClusterRoleBindings + bootstrap policy)`,
  );
} finally {
  await plane.stop();
}
