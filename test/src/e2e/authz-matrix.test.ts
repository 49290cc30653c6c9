// The authorization matrix: RBAC objects from the RBAC documentation's examples are applied
// through the gateway (kubectl, admin kubeconfig), then thousands of questions go straight
// to authz's Authorize RPC, as the gateway asks them (its internal certificate, so the
// asserted user is believed). Expected answers come from fixtures/rbac-matrix, written from
// the documentation; RBAC never denies, so "not allowed" is NoOpinion.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { call, dial, grpcCredentialsFromPem } from '@splitplane/kit';
import { ensureDevPki } from '@splitplane/pki';
import { AuthorizerClient, Decision, type AuthorizeRequest } from '@splitplane/proto';
import { waitFor } from '@splitplane/testing';
import {
  expectedResourceDecision,
  NAMES,
  NAMESPACES,
  PATH_GRANTS,
  PATH_USERS,
  PATHS,
  RESOURCES,
  USERS,
  VERBS,
  type UserKey,
} from './fixtures/rbac-matrix/expectations.js';
import { MATRIX_OBJECTS } from './fixtures/rbac-matrix/objects.js';
import { SPECIAL_CASES } from './fixtures/rbac-matrix/special-cases.js';
import { ok, startPlane, type Plane } from './plane.js';

interface Case {
  label: string;
  request: AuthorizeRequest;
  allowed: boolean;
}

let plane: Plane;
let client: AuthorizerClient;

const userInfo = (key: UserKey) => ({
  username: USERS[key].name,
  uid: '',
  groups: USERS[key].groups,
  extra: {},
});

function resourceCase(
  key: UserKey,
  r: {
    verb: string;
    group: string;
    resource: string;
    subresource: string;
    namespace: string;
    name: string;
  },
  allowed: boolean,
): Case {
  return {
    label: `${key} ${r.verb} ${r.group || 'core'}/${r.resource}${r.subresource ? `/${r.subresource}` : ''} ns=${r.namespace || '-'} name=${r.name || '-'}`,
    allowed,
    request: {
      user: userInfo(key),
      verb: r.verb,
      resourceRequest: true,
      path: '',
      apiGroup: r.group,
      apiVersion: 'v1',
      resource: r.resource,
      subresource: r.subresource,
      namespace: r.namespace,
      name: r.name,
    },
  };
}

function resourceMatrix(key: UserKey): Case[] {
  const cases: Case[] = [];
  for (const namespace of NAMESPACES) {
    for (const res of RESOURCES) {
      for (const verb of VERBS) {
        for (const name of NAMES) {
          const r = { verb, ...res, namespace, name };
          cases.push(resourceCase(key, r, expectedResourceDecision(key, r)));
        }
      }
    }
  }
  return cases;
}

function pathMatrix(key: UserKey): Case[] {
  const cases: Case[] = [];
  for (const path of PATHS) {
    for (const verb of ['get', 'post'] as const) {
      cases.push({
        label: `${key} ${verb} ${path}`,
        allowed: PATH_GRANTS[key]![verb].includes(path),
        request: {
          user: userInfo(key),
          verb,
          resourceRequest: false,
          path,
          apiGroup: '',
          apiVersion: '',
          resource: '',
          subresource: '',
          namespace: '',
          name: '',
        },
      });
    }
  }
  return cases;
}

async function decide(c: Case): Promise<boolean> {
  const response = await call(client, client.authorize, c.request);
  // RBAC never denies: everything not allowed must be NoOpinion, not Deny.
  assert.notEqual(response.decision, Decision.DECISION_DENY, c.label);
  return response.decision === Decision.DECISION_ALLOW;
}

/** Asks every case (a few at a time) and lists the ones answered otherwise than expected. */
async function mismatches(cases: Case[]): Promise<string[]> {
  const wrong: string[] = [];
  for (let i = 0; i < cases.length; i += 16) {
    const batch = cases.slice(i, i + 16);
    const answers = await Promise.all(batch.map(decide));
    batch.forEach((c, j) => {
      if (answers[j] !== c.allowed)
        wrong.push(`${c.label}: expected ${c.allowed ? 'Allow' : 'NoOpinion'}`);
    });
  }
  return wrong;
}

const resourceUsers = Object.keys(USERS) as UserKey[];
const total =
  resourceUsers.length * NAMESPACES.length * RESOURCES.length * VERBS.length * NAMES.length +
  PATH_USERS.length * PATHS.length * 2 +
  SPECIAL_CASES.length;

before(async () => {
  plane = await startPlane();
  const state = JSON.parse(await readFile(join(plane.dataDir, 'state.json'), 'utf8')) as {
    ports: { authz: number };
  };
  // The gateway's own certificate: authz believes the users only the gateway asserts.
  const pki = await ensureDevPki(join(plane.dataDir, 'pki'));
  const [cert, key, ca] = await Promise.all([
    readFile(pki.services.gateway.cert),
    readFile(pki.services.gateway.key),
    readFile(pki.internalCa.cert),
  ]);
  client = dial(
    AuthorizerClient,
    `127.0.0.1:${state.ports.authz}`,
    grpcCredentialsFromPem({ cert, key, ca }),
  );
  await ok(plane.kubectl(['apply', '-f', '-'], MATRIX_OBJECTS));
  // The informers see the objects a little later, each resource in apply order: wait for
  // cases that need the last Role, ClusterRole, RoleBinding and ClusterRoleBinding applied.
  const sentinels: Case[] = [
    resourceCase(
      'cora',
      {
        verb: 'get',
        group: '',
        resource: 'configmaps',
        subresource: '',
        namespace: 'default',
        name: 'my-configmap',
      },
      true,
    ),
    resourceCase(
      'jane',
      { verb: 'get', group: '', resource: 'pods', subresource: '', namespace: 'default', name: '' },
      true,
    ),
    resourceCase(
      'mia',
      { verb: 'list', group: '', resource: 'secrets', subresource: '', namespace: '', name: '' },
      true,
    ),
    resourceCase(
      'ivan',
      {
        verb: 'bind',
        group: 'rbac.authorization.k8s.io',
        resource: 'clusterroles',
        subresource: '',
        namespace: 'development',
        name: 'secret-reader',
      },
      true,
    ),
    resourceCase(
      'defaultMyapp',
      { verb: 'list', group: '', resource: 'namespaces', subresource: '', namespace: '', name: '' },
      true,
    ),
  ];
  // The last RoleBinding (dangling) shows only in a NoOpinion reason.
  const danglingSeen = async () => {
    const r = await call(
      client,
      client.authorize,
      resourceCase(
        'nobody',
        {
          verb: 'get',
          group: '',
          resource: 'pods',
          subresource: '',
          namespace: 'default',
          name: '',
        },
        false,
      ).request,
    );
    return r.reason !== '';
  };
  await waitFor(async () => (await mismatches(sentinels)).length === 0 && (await danglingSeen()), {
    timeoutMs: 60_000,
    message: 'authz sees the matrix objects',
  });
});

after(async () => {
  client?.close();
  await plane?.stop();
});

describe(`authorization matrix (${total} cases, through authz Authorize)`, () => {
  it('has at least 500 cases', () => {
    assert.ok(total >= 500, `${total} cases`);
  });

  for (const key of resourceUsers) {
    it(`resource requests of ${USERS[key].name}`, async () => {
      assert.deepEqual(await mismatches(resourceMatrix(key)), []);
    });
  }

  for (const key of PATH_USERS) {
    it(`non-resource URLs of ${USERS[key].name}`, async () => {
      assert.deepEqual(await mismatches(pathMatrix(key)), []);
    });
  }

  it('bind, escalate, impersonate, basic-user and resourceNames cases', async () => {
    const cases = SPECIAL_CASES.map((s) =>
      resourceCase(s.user, { ...s, subresource: '' }, s.allowed),
    );
    assert.deepEqual(await mismatches(cases), []);
  });

  it("says which binding allowed, in kube's words", async () => {
    const r = await call(
      client,
      client.authorize,
      resourceCase(
        'dave',
        {
          verb: 'get',
          group: '',
          resource: 'secrets',
          subresource: '',
          namespace: 'development',
          name: 's',
        },
        true,
      ).request,
    );
    assert.equal(
      r.reason,
      'RBAC: allowed by RoleBinding "read-secrets/development" of ClusterRole "secret-reader" to User "dave"',
    );
    const sa = await call(
      client,
      client.authorize,
      resourceCase(
        'qaMyapp',
        { verb: 'get', group: '', resource: 'pods', subresource: '', namespace: 'qa', name: 'p' },
        true,
      ).request,
    );
    assert.equal(
      sa.reason,
      'RBAC: allowed by RoleBinding "myapp-workloads/qa" of ClusterRole "matrix-workloads" to ServiceAccount "myapp/qa"',
    );
    const dangling = await call(
      client,
      client.authorize,
      resourceCase(
        'nobody',
        {
          verb: 'get',
          group: '',
          resource: 'pods',
          subresource: '',
          namespace: 'default',
          name: '',
        },
        false,
      ).request,
    );
    assert.equal(dangling.decision, Decision.DECISION_NO_OPINION);
    assert.equal(
      dangling.reason,
      'RBAC: role.rbac.authorization.k8s.io "does-not-exist" not found',
    );
  });

  it('follows RBAC changes: a deleted binding stops granting', async () => {
    await ok(plane.kubectl(['delete', 'rolebinding', 'read-pods', '-n', 'default']));
    const janeGet = resourceCase(
      'jane',
      { verb: 'get', group: '', resource: 'pods', subresource: '', namespace: 'default', name: '' },
      false,
    );
    await waitFor(async () => (await mismatches([janeGet])).length === 0, {
      timeoutMs: 30_000,
      message: 'jane loses pod access',
    });
  });
});
