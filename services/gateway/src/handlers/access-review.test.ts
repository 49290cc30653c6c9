// The four authorization.k8s.io reviews over HTTPS against an in-test authz that records
// what it was asked: attributes, subjects, kube's validation errors and status fields, and
// protobuf bodies as kubectl sends them.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeObject, encodeObject } from '@splitplane/k8s-protobuf';
import { type GrpcServerHandle, startGrpcServer, unary } from '@splitplane/kit';
import {
  AuthorizerService,
  type AuthorizeRequest,
  type AuthorizeResponse,
  Decision,
  type EscalationCheckRequest,
  type EscalationCheckResponse,
  type RulesReviewRequest,
  type RulesReviewResponse,
} from '@splitplane/proto';
import { type Harness, startHarness } from '../testing/harness.js';

const asked: AuthorizeRequest[] = [];
const rulesAsked: RulesReviewRequest[] = [];
let nextAnswer: AuthorizeResponse = {
  decision: Decision.DECISION_ALLOW,
  reason: '',
  evaluationError: '',
};
let authz: GrpcServerHandle;
let h: Harness;

before(async () => {
  authz = await startGrpcServer('127.0.0.1:0', [
    {
      name: 'splitplane.v1.Authorizer',
      definition: AuthorizerService,
      implementation: {
        authorize: unary<AuthorizeRequest, AuthorizeResponse>(async (req) => {
          // The gateway's own authorization of the request itself is always allowed.
          if (req.verb === 'create' && req.apiGroup === 'authorization.k8s.io') {
            return { decision: Decision.DECISION_ALLOW, reason: '', evaluationError: '' };
          }
          asked.push(req);
          return nextAnswer;
        }),
        rulesReview: unary<RulesReviewRequest, RulesReviewResponse>(async (req) => {
          rulesAsked.push(req);
          return {
            resourceRules: [
              { verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'], resourceNames: [] },
              {
                verbs: ['create'],
                apiGroups: ['authorization.k8s.io'],
                resources: ['selfsubjectaccessreviews'],
                resourceNames: [],
              },
            ],
            nonResourceRules: [{ verbs: ['get'], nonResourceUrls: ['/healthz'] }],
            incomplete: true,
            evaluationError: 'webhook cannot list rules',
          };
        }),
        confirmNoEscalation: unary<EscalationCheckRequest, EscalationCheckResponse>(async () => ({
          allowed: true,
          reason: '',
        })),
      },
    },
  ]);
  h = await startHarness({
    authzAddress: `127.0.0.1:${authz.port}`,
    authorizationCacheAuthorizedTtlMs: 0,
    authorizationCacheUnauthorizedTtlMs: 0,
  });
});
after(async () => {
  await h.stop();
  await authz.stop();
});

const G = '/apis/authorization.k8s.io/v1';
const json = { 'content-type': 'application/json' };
const post = (path: string, obj: unknown, as = h.admin) =>
  h.call('POST', path, { body: JSON.stringify(obj), headers: json, as });
const review = (kind: string, spec: unknown, metadata: unknown = {}) => ({
  apiVersion: 'authorization.k8s.io/v1',
  kind,
  metadata,
  spec,
});

test('SubjectAccessReview asks about the spec’s subject and echoes allowed/denied/reason', async () => {
  nextAnswer = {
    decision: Decision.DECISION_DENY,
    reason: 'denied by policy',
    evaluationError: 'one mode failed',
  };
  try {
    const spec = {
      user: 'alice',
      groups: ['team-a'],
      uid: 'u-9',
      extra: { scopes: ['x'] },
      resourceAttributes: { namespace: 'ns1', verb: 'get', resource: 'pods', name: 'p1' },
    };
    const res = await post(`${G}/subjectaccessreviews`, review('SubjectAccessReview', spec));
    assert.equal(res.status, 201, res.text);
    assert.deepEqual(res.json(), {
      kind: 'SubjectAccessReview',
      apiVersion: 'authorization.k8s.io/v1',
      metadata: { creationTimestamp: null },
      spec,
      status: {
        allowed: false,
        denied: true,
        reason: 'denied by policy',
        evaluationError: 'one mode failed',
      },
    });
    const a = asked.at(-1)!;
    assert.deepEqual(a.user, {
      username: 'alice',
      uid: 'u-9',
      groups: ['team-a'],
      extra: { scopes: { values: ['x'] } },
    });
    assert.equal(a.verb, 'get');
    assert.equal(a.namespace, 'ns1');
    assert.equal(a.name, 'p1');
  } finally {
    nextAnswer = { decision: Decision.DECISION_ALLOW, reason: '', evaluationError: '' };
  }
});

test('SubjectAccessReview without a subject or attributes: 422 with kube’s field errors', async () => {
  const res = await post(`${G}/subjectaccessreviews`, review('SubjectAccessReview', {}));
  assert.equal(res.status, 422);
  const body = res.json<{ message: string; reason: string }>();
  assert.equal(body.reason, 'Invalid');
  assert.equal(
    body.message,
    'SubjectAccessReview.authorization.k8s.io "" is invalid: [spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified, spec.user: Invalid value: "": at least one of user or group must be specified]',
  );
});

test('LocalSubjectAccessReview: the path’s namespace, and kube’s 400s for another one', async () => {
  const path = `${G}/namespaces/ns1/localsubjectaccessreviews`;
  const ok = await post(
    path,
    review('LocalSubjectAccessReview', {
      user: 'bob',
      resourceAttributes: { namespace: 'ns1', verb: 'list', resource: 'secrets' },
    }),
  );
  assert.equal(ok.status, 201, ok.text);
  assert.equal(ok.json<{ metadata: { namespace: string } }>().metadata.namespace, 'ns1');
  assert.equal(asked.at(-1)!.user!.username, 'bob');
  assert.equal(asked.at(-1)!.namespace, 'ns1');

  const other = await post(
    path,
    review('LocalSubjectAccessReview', {
      user: 'bob',
      resourceAttributes: { namespace: 'ns2', verb: 'list', resource: 'secrets' },
    }),
  );
  assert.equal(other.status, 400);
  assert.equal(other.json().message, 'spec.resourceAttributes.namespace must match namespace: ns1');

  const meta = await post(
    path,
    review(
      'LocalSubjectAccessReview',
      { user: 'bob', resourceAttributes: { namespace: 'ns1', verb: 'list' } },
      { namespace: 'ns2' },
    ),
  );
  assert.equal(meta.status, 400);
  assert.equal(
    meta.json().message,
    'the namespace of the provided object does not match the namespace sent on the request',
  );

  const nonResource = await post(
    path,
    review('LocalSubjectAccessReview', {
      user: 'bob',
      nonResourceAttributes: { path: '/x', verb: 'get' },
    }),
  );
  assert.equal(nonResource.status, 422);
  assert.match(nonResource.json().message as string, /disallowed on this kind of request/);
});

test('SelfSubjectAccessReview asks about the requester; protobuf in and out', async () => {
  const pb = encodeObject(
    review('SelfSubjectAccessReview', {
      resourceAttributes: { namespace: 'default', verb: 'delete', resource: 'pods' },
    }),
  );
  const res = await h.call('POST', `${G}/selfsubjectaccessreviews`, {
    body: Buffer.from(pb),
    as: h.bob,
    headers: {
      'content-type': 'application/vnd.kubernetes.protobuf',
      accept: 'application/vnd.kubernetes.protobuf, application/json',
    },
  });
  assert.equal(res.status, 201, res.text);
  const out = decodeObject(res.body).object as { status: { allowed: boolean } };
  assert.equal(out.status.allowed, true);
  assert.equal(asked.at(-1)!.user!.username, 'bob');
  assert.equal(asked.at(-1)!.verb, 'delete');
});

test('SelfSubjectRulesReview: RulesReview for the requester and namespace, kube’s JSON', async () => {
  const res = await post(
    `${G}/selfsubjectrulesreviews`,
    review('SelfSubjectRulesReview', { namespace: 'ns1' }),
    h.bob,
  );
  assert.equal(res.status, 201, res.text);
  assert.deepEqual(res.json(), {
    kind: 'SelfSubjectRulesReview',
    apiVersion: 'authorization.k8s.io/v1',
    metadata: { creationTimestamp: null },
    spec: {},
    status: {
      resourceRules: [
        { verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] },
        {
          verbs: ['create'],
          apiGroups: ['authorization.k8s.io'],
          resources: ['selfsubjectaccessreviews'],
        },
      ],
      nonResourceRules: [{ verbs: ['get'], nonResourceURLs: ['/healthz'] }],
      incomplete: true,
      evaluationError: 'webhook cannot list rules',
    },
  });
  assert.equal(rulesAsked.at(-1)!.user!.username, 'bob');
  assert.equal(rulesAsked.at(-1)!.namespace, 'ns1');

  const noNs = await post(`${G}/selfsubjectrulesreviews`, review('SelfSubjectRulesReview', {}));
  assert.equal(noNs.status, 400);
  assert.equal(noNs.json().message, 'no namespace on request');

  const pb = encodeObject(review('SelfSubjectRulesReview', { namespace: 'ns1' }));
  const proto = await h.call('POST', `${G}/selfsubjectrulesreviews`, {
    body: Buffer.from(pb),
    headers: { 'content-type': 'application/vnd.kubernetes.protobuf' },
  });
  assert.equal(proto.status, 201, proto.text);
});

test('a review answers only POST', async () => {
  const res = await h.call('GET', `${G}/subjectaccessreviews`);
  assert.equal(res.status, 405);
});

test('discovery lists the four reviews as create-only resources', async () => {
  const res = await h.call('GET', G);
  assert.equal(res.status, 200, res.text);
  const list = res.json<{
    resources: Array<{ name: string; namespaced: boolean; verbs: string[] }>;
  }>();
  const byName = new Map(list.resources.map((r) => [r.name, r]));
  for (const name of [
    'subjectaccessreviews',
    'localsubjectaccessreviews',
    'selfsubjectaccessreviews',
    'selfsubjectrulesreviews',
  ]) {
    assert.deepEqual(byName.get(name)?.verbs, ['create'], name);
    assert.equal(byName.get(name)?.namespaced, name === 'localsubjectaccessreviews', name);
  }
});

test('OpenAPI v3 serves the group with the review schemas', async () => {
  const index = (await h.call('GET', '/openapi/v3')).json<{
    paths: Record<string, { serverRelativeURL: string }>;
  }>();
  const entry = index.paths['apis/authorization.k8s.io/v1'];
  assert.ok(entry, Object.keys(index.paths).join(' '));
  const doc = await h.call('GET', entry.serverRelativeURL);
  assert.equal(doc.status, 200);
  assert.match(doc.text, /io\.k8s\.api\.authorization\.v1\.SelfSubjectRulesReview/);
});
