// `kubectl auth can-i` (yes/no, exit codes, --list), impersonation (--as, --as-group), exact
// 403 bodies, the gateway's decision cache following RBAC changes, and RBAC escalation
// prevention, against one plane in RBAC mode. Users other than the admin are client
// certificates from the plane's CA; RBAC objects are created through kubectl as the admin.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { issueClientCert } from '@splitplane/pki';
import { kubectl, type KubectlResult, waitFor } from '@splitplane/testing';
import { ok, startPlane, type Plane } from './plane.js';

const RBAC = 'rbac.authorization.k8s.io';

interface User {
  name: string;
  kubeconfig: string;
  cert: string;
  key: string;
}

let plane: Plane;
let dave: User; // no permissions beyond the bootstrap ones for authenticated users
let erin: User; // may create roles and rolebindings in "esc", and read configmaps there

before(async () => {
  plane = await startPlane({
    extraArgs: { authz: ['--authorization-mode=RBAC'] },
    // Cached decisions live far longer than any wait below: a change is seen only if the
    // cache is emptied when RBAC changes.
    gatewayArgs: [
      '--authorization-cache-authorized-ttl=10m',
      '--authorization-cache-unauthorized-ttl=10m',
    ],
  });
  dave = await user('dave');
  erin = await user('erin');
  await ok(plane.kubectl(['create', 'namespace', 'team']));
  await ok(plane.kubectl(['create', 'namespace', 'team2']));
  await ok(plane.kubectl(['create', 'namespace', 'esc']));
  await ok(
    plane.kubectl([
      'create',
      'rolebinding',
      'dave-view',
      '--clusterrole=view',
      '--user=dave',
      '-n',
      'team',
    ]),
  );
  await applyYaml(`
apiVersion: ${RBAC}/v1
kind: Role
metadata: {name: rbac-writer, namespace: esc}
rules:
- {apiGroups: ["${RBAC}"], resources: [roles, rolebindings], verbs: [create, get, list]}
- {apiGroups: [""], resources: [configmaps], verbs: [get]}
---
apiVersion: ${RBAC}/v1
kind: RoleBinding
metadata: {name: erin-rbac-writer, namespace: esc}
roleRef: {apiGroup: ${RBAC}, kind: Role, name: rbac-writer}
subjects: [{apiGroup: ${RBAC}, kind: User, name: erin}]
`);
  // authz sees RBAC objects through its informer: wait until both bindings are in force.
  await waitFor(
    async () =>
      (await as(dave, ['auth', 'can-i', 'list', 'pods', '-n', 'team'])).code === 0 &&
      (await as(erin, ['auth', 'can-i', 'create', 'roles', '-n', 'esc'])).code === 0,
    { timeoutMs: 30_000, message: 'the bindings of dave and erin in force' },
  );
});

after(async () => {
  await plane?.stop();
});

async function user(name: string, groups: string[] = []): Promise<User> {
  const pki = join(plane.dataDir, 'pki');
  const [caPem, caKey] = await Promise.all([
    readFile(join(pki, 'ca.crt'), 'utf8'),
    readFile(join(pki, 'ca.key'), 'utf8'),
  ]);
  const pair = await issueClientCert(
    { certPem: caPem, keyPem: caKey },
    { commonName: name, organizations: groups },
  );
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const kubeconfig = join(plane.dataDir, `kubeconfig-${name}`);
  await writeFile(
    kubeconfig,
    `apiVersion: v1
kind: Config
clusters:
- name: splitplane
  cluster: {server: "${plane.server}", certificate-authority-data: ${b64(caPem)}}
users:
- name: ${name}
  user: {client-certificate-data: ${b64(pair.certPem)}, client-key-data: ${b64(pair.keyPem)}}
contexts:
- name: ${name}
  context: {cluster: splitplane, user: ${name}}
current-context: ${name}
`,
  );
  return { name, kubeconfig, cert: pair.certPem, key: pair.keyPem };
}

const as = (u: User, args: string[], input?: string): Promise<KubectlResult> =>
  kubectl(args, { kubeconfig: u.kubeconfig, timeoutMs: 90_000, ...(input ? { input } : {}) });

const applyYaml = (yaml: string) => ok(plane.kubectl(['apply', '-f', '-'], yaml));

/** One HTTPS request as `u` (raw Status bodies). */
function requestAs(
  u: User,
  method: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      `${plane.server}${path}`,
      { method, ca: plane.tls.ca, cert: u.cert, key: u.key, headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const forbiddenStatus = (message: string, details: Record<string, string>) => ({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message,
  reason: 'Forbidden',
  details,
  code: 403,
});

describe('kubectl auth can-i', () => {
  it('the admin can do anything: "yes", exit 0', async () => {
    for (const args of [
      ['create', 'pods'],
      ['delete', 'nodes'],
      ['*', '*'],
    ]) {
      const r = await plane.kubectl(['auth', 'can-i', ...args]);
      assert.equal(r.stdout.trim(), 'yes', `${args.join(' ')}: ${r.stderr}`);
      assert.equal(r.code, 0);
    }
  });

  it('a restricted user: "yes" where bound, "no" with exit 1 elsewhere', async () => {
    const yes = await as(dave, ['auth', 'can-i', 'list', 'pods', '-n', 'team']);
    assert.equal(yes.stdout.trim(), 'yes', yes.stderr);
    assert.equal(yes.code, 0);
    for (const args of [
      ['list', 'pods', '-n', 'default'],
      ['create', 'pods', '-n', 'team'],
      ['get', 'secrets', '-n', 'team'],
      ['list', 'nodes'],
    ]) {
      const no = await as(dave, ['auth', 'can-i', ...args]);
      assert.equal(no.stdout.trim(), 'no', `${args.join(' ')}: ${no.stderr}`);
      assert.equal(no.code, 1);
    }
  });

  it('--list shows the namespace’s rules', async () => {
    const out = await ok(as(dave, ['auth', 'can-i', '--list', '-n', 'team']));
    const line = (resource: string) =>
      out.split('\n').find((l) => l.trim().split(/\s+/)[0] === resource);
    assert.match(line('pods') ?? '', /\[get list watch\]/, out);
    assert.match(line('selfsubjectaccessreviews.authorization.k8s.io') ?? '', /\[create\]/, out);
    assert.equal(line('secrets'), undefined, out);
    const elsewhere = await ok(as(dave, ['auth', 'can-i', '--list', '-n', 'default']));
    assert.ok(!elsewhere.split('\n').some((l) => l.trim().startsWith('pods ')), elsewhere);
  });
});

describe('403 bodies', () => {
  it('a list without permission: kube’s exact Status', async () => {
    const r = await requestAs(dave, 'GET', '/api/v1/namespaces/default/pods');
    assert.equal(r.status, 403);
    assert.deepEqual(
      JSON.parse(r.body),
      forbiddenStatus(
        'pods is forbidden: User "dave" cannot list resource "pods" in API group "" in the namespace "default"',
        { kind: 'pods' },
      ),
    );
  });

  it('a named get in another group', async () => {
    const r = await requestAs(dave, 'GET', '/apis/apps/v1/namespaces/default/deployments/web');
    assert.deepEqual(
      JSON.parse(r.body),
      forbiddenStatus(
        'deployments.apps "web" is forbidden: User "dave" cannot get resource "deployments" in API group "apps" in the namespace "default"',
        { name: 'web', group: 'apps', kind: 'deployments' },
      ),
    );
  });
});

describe('decision cache', () => {
  it('a cached denial ends as soon as a RoleBinding grants the access', async () => {
    const path = '/api/v1/namespaces/team2/configmaps';
    assert.equal((await requestAs(dave, 'GET', path)).status, 403);
    assert.equal((await requestAs(dave, 'GET', path)).status, 403);
    await ok(
      plane.kubectl([
        'create',
        'rolebinding',
        'dave-view',
        '--clusterrole=view',
        '--user=dave',
        '-n',
        'team2',
      ]),
    );
    // The TTL is 10 minutes: only the RBAC event can end the cached denial in time.
    await waitFor(async () => (await requestAs(dave, 'GET', path)).status === 200, {
      timeoutMs: 30_000,
      message: 'dave allowed after the RoleBinding',
    });
    await ok(plane.kubectl(['delete', 'rolebinding', 'dave-view', '-n', 'team2']));
    await waitFor(async () => (await requestAs(dave, 'GET', path)).status === 403, {
      timeoutMs: 30_000,
      message: 'dave denied after the RoleBinding is gone',
    });
  });
});

describe('impersonation', () => {
  it('the admin may act as anyone: --as and --as-group', async () => {
    const yes = await plane.kubectl([
      'auth',
      'can-i',
      'list',
      'pods',
      '-n',
      'team',
      '--as',
      'dave',
    ]);
    assert.equal(yes.stdout.trim(), 'yes', yes.stderr);
    const no = await plane.kubectl([
      'auth',
      'can-i',
      'list',
      'pods',
      '-n',
      'default',
      '--as',
      'dave',
    ]);
    assert.equal(no.stdout.trim(), 'no', no.stderr);
    assert.equal(no.code, 1);
    const group = await plane.kubectl([
      'auth',
      'can-i',
      'delete',
      'nodes',
      '--as',
      'nobody',
      '--as-group',
      'system:masters',
    ]);
    assert.equal(group.stdout.trim(), 'yes', group.stderr);
    const denied = await requestAs(dave, 'GET', '/api/v1/namespaces/default/pods', {
      'Impersonate-User': 'nobody',
    });
    assert.equal(denied.status, 403);
  });

  it('a user without impersonate: kube’s 403 for the user and for the group', async () => {
    const user = await as(dave, ['get', 'pods', '-n', 'team', '--as', 'admin']);
    assert.notEqual(user.code, 0);
    assert.match(
      user.stderr,
      /users "admin" is forbidden: User "dave" cannot impersonate resource "users" in API group "" at the cluster scope/,
    );
    const raw = await requestAs(dave, 'GET', '/api/v1/namespaces/team/pods', {
      'Impersonate-User': 'dave',
      'Impersonate-Group': 'system:masters',
    });
    assert.deepEqual(
      JSON.parse(raw.body),
      forbiddenStatus(
        'users "dave" is forbidden: User "dave" cannot impersonate resource "users" in API group "" at the cluster scope',
        { name: 'dave', kind: 'users' },
      ),
    );
  });

  it('impersonate granted on one user name: allowed for it, the request then acts as it', async () => {
    await applyYaml(`
apiVersion: ${RBAC}/v1
kind: ClusterRole
metadata: {name: impersonate-frank}
rules:
- {apiGroups: [""], resources: [users], verbs: [impersonate], resourceNames: [frank]}
---
apiVersion: ${RBAC}/v1
kind: ClusterRoleBinding
metadata: {name: dave-impersonate-frank}
roleRef: {apiGroup: ${RBAC}, kind: ClusterRole, name: impersonate-frank}
subjects: [{apiGroup: ${RBAC}, kind: User, name: dave}]
`);
    const r = await waitFor(
      async () => {
        const res = await as(dave, ['get', 'pods', '-n', 'team', '--as', 'frank']);
        return /User "frank" cannot list/.test(res.stderr) ? res : undefined;
      },
      { timeoutMs: 30_000, message: 'dave acting as frank' },
    );
    assert.match(
      r.stderr,
      /pods is forbidden: User "frank" cannot list resource "pods" in API group "" in the namespace "team"/,
    );
    const other = await as(dave, ['get', 'pods', '-n', 'team', '--as', 'george']);
    assert.match(other.stderr, /users "george" is forbidden: User "dave" cannot impersonate/);
  });
});

describe('escalation prevention', () => {
  const forbiddenRole = (name: string) =>
    new RegExp(
      `roles\\.rbac\\.authorization\\.k8s\\.io "${name}" is forbidden: user "erin" .*attempting to grant RBAC permissions not currently held`,
      's',
    );

  it('a Role granting only what the user holds is allowed', async () => {
    await ok(
      as(erin, ['create', 'role', 'cm-reader', '--verb=get', '--resource=configmaps', '-n', 'esc']),
    );
  });

  it('a Role granting more than the user holds is refused (dryRun too)', async () => {
    const r = await as(erin, [
      'create',
      'role',
      'secret-reader',
      '--verb=get',
      '--resource=secrets',
      '-n',
      'esc',
    ]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, forbiddenRole('secret-reader'));
    const dry = await as(erin, [
      'create',
      'role',
      'secret-reader',
      '--verb=get',
      '--resource=secrets',
      '-n',
      'esc',
      '--dry-run=server',
    ]);
    assert.notEqual(dry.code, 0);
    assert.match(dry.stderr, forbiddenRole('secret-reader'));
  });

  it('binding cluster-admin without bind is refused', async () => {
    const r = await as(erin, [
      'create',
      'rolebinding',
      'erin-admin',
      '--clusterrole=cluster-admin',
      '--user=erin',
      '-n',
      'esc',
    ]);
    assert.notEqual(r.code, 0);
    assert.match(
      r.stderr,
      /rolebindings\.rbac\.authorization\.k8s\.io "erin-admin" is forbidden: user "erin" .*attempting to grant RBAC permissions not currently held/s,
    );
  });

  it('with escalate and bind granted, both writes go through', async () => {
    await applyYaml(`
apiVersion: ${RBAC}/v1
kind: Role
metadata: {name: escalate-bind, namespace: esc}
rules:
- {apiGroups: ["${RBAC}"], resources: [roles], verbs: [escalate]}
- {apiGroups: ["${RBAC}"], resources: [clusterroles], verbs: [bind], resourceNames: [cluster-admin]}
---
apiVersion: ${RBAC}/v1
kind: RoleBinding
metadata: {name: erin-escalate-bind, namespace: esc}
roleRef: {apiGroup: ${RBAC}, kind: Role, name: escalate-bind}
subjects: [{apiGroup: ${RBAC}, kind: User, name: erin}]
`);
    await waitFor(
      async () =>
        (
          await as(erin, [
            'create',
            'role',
            'secret-reader',
            '--verb=get',
            '--resource=secrets',
            '-n',
            'esc',
          ])
        ).code === 0,
      { timeoutMs: 30_000, message: 'erin creates secret-reader with escalate' },
    );
    await ok(
      as(erin, [
        'create',
        'rolebinding',
        'erin-admin',
        '--clusterrole=cluster-admin',
        '--user=erin',
        '-n',
        'esc',
      ]),
    );
  });
});

describe('access reviews', () => {
  const G = '/apis/authorization.k8s.io/v1';
  const post = (path: string, body: unknown) =>
    plane.request('POST', path, {
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
    });
  const review = (kind: string, spec: unknown) => ({
    apiVersion: 'authorization.k8s.io/v1',
    kind,
    spec,
  });

  it('SubjectAccessReview answers for the named user, with RBAC’s reason', async () => {
    const yes = await post(
      `${G}/subjectaccessreviews`,
      review('SubjectAccessReview', {
        user: 'dave',
        resourceAttributes: { namespace: 'team', verb: 'list', resource: 'pods' },
      }),
    );
    assert.equal(yes.status, 201, yes.body);
    const status = yes.json<{ status: { allowed: boolean; reason?: string } }>().status;
    assert.equal(status.allowed, true);
    assert.match(status.reason ?? '', /RoleBinding "dave-view\/team"/);
    const no = await post(
      `${G}/subjectaccessreviews`,
      review('SubjectAccessReview', {
        user: 'dave',
        resourceAttributes: { namespace: 'default', verb: 'list', resource: 'pods' },
      }),
    );
    assert.deepEqual(no.json<{ status: unknown }>().status, { allowed: false });
  });

  it('LocalSubjectAccessReview: its namespace only', async () => {
    const path = `${G}/namespaces/team/localsubjectaccessreviews`;
    const spec = (ns: string) => ({
      user: 'dave',
      resourceAttributes: { namespace: ns, verb: 'get', resource: 'pods' },
    });
    const ok201 = await post(path, review('LocalSubjectAccessReview', spec('team')));
    assert.equal(ok201.status, 201, ok201.body);
    assert.equal(ok201.json<{ status: { allowed: boolean } }>().status.allowed, true);
    const bad = await post(path, review('LocalSubjectAccessReview', spec('default')));
    assert.equal(bad.status, 400);
    assert.equal(
      bad.json().message,
      'spec.resourceAttributes.namespace must match namespace: team',
    );
  });

  it('a user without create subjectaccessreviews gets kube’s 403', async () => {
    const r = await requestAs(dave, 'POST', `${G}/subjectaccessreviews`, {
      'content-type': 'application/json',
    });
    assert.deepEqual(
      JSON.parse(r.body),
      forbiddenStatus(
        'subjectaccessreviews.authorization.k8s.io is forbidden: User "dave" cannot create resource "subjectaccessreviews" in API group "authorization.k8s.io" at the cluster scope',
        { group: 'authorization.k8s.io', kind: 'subjectaccessreviews' },
      ),
    );
  });
});
