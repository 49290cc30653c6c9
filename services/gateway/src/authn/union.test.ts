import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { BearerTokenAuthenticator, TokenUnion, takeToken } from './bearer.js';
import { AudienceAgnostic } from './audience-agnostic.js';
import {
  AuthenticationError,
  type AuthResult,
  type RequestAuthenticator,
  type TokenAuthenticator,
} from './types.js';
import { RequestAuthentication } from './union.js';
import { makeUser } from './user.js';

const req = (headers: Record<string, string> = {}) => ({ headers }) as unknown as IncomingMessage;

const fixed = (
  name: string,
  out: AuthResult | null | Error,
  async = false,
): RequestAuthenticator => ({
  name,
  authenticate() {
    const run = () => {
      if (out instanceof Error) throw out;
      return out;
    };
    return async ? Promise.resolve().then(run) : run();
  },
});

const alice: AuthResult = { user: makeUser('alice', '', ['dev']) };

test('the first authenticator that recognises the request wins; system:authenticated is added', async () => {
  const authn = new RequestAuthentication({
    authenticators: [fixed('a', null), fixed('b', alice, true), fixed('c', new Error('never'))],
    anonymous: true,
    apiAudiences: [],
  });
  const out = await authn.authenticate(req());
  assert.equal(out.user.username, 'alice');
  assert.deepEqual(out.user.groups, ['dev', 'system:authenticated']);
});

test('an invalid credential is an error even with anonymous on, unless another authenticator succeeds', async () => {
  const failing = new RequestAuthentication({
    authenticators: [fixed('a', new AuthenticationError('bad cert')), fixed('b', null, true)],
    anonymous: true,
    apiAudiences: [],
  });
  await assert.rejects(async () => failing.authenticate(req()), /bad cert/);
  const rescued = new RequestAuthentication({
    authenticators: [fixed('a', new AuthenticationError('bad cert')), fixed('b', alice)],
    anonymous: true,
    apiAudiences: [],
  });
  assert.equal((await rescued.authenticate(req())).user.username, 'alice');
});

test('no credential: anonymous, or an error when anonymous auth is off', async () => {
  const on = new RequestAuthentication({
    authenticators: [fixed('a', null)],
    anonymous: true,
    apiAudiences: [],
  });
  assert.deepEqual((await on.authenticate(req())).user, {
    username: 'system:anonymous',
    uid: '',
    groups: ['system:unauthenticated'],
    extra: {},
  });
  const off = new RequestAuthentication({
    authenticators: [fixed('a', null)],
    anonymous: false,
    apiAudiences: [],
  });
  assert.throws(() => off.authenticate(req()), AuthenticationError);
});

test('a token for other audiences than the API’s is refused', async () => {
  const authn = new RequestAuthentication({
    authenticators: [fixed('a', { ...alice, audiences: ['other'] })],
    anonymous: true,
    apiAudiences: ['api'],
  });
  assert.throws(() => authn.authenticate(req()), /unable to match audience/);
});

const tokenAuth = (tokens: Record<string, string>): TokenAuthenticator => ({
  name: 'static',
  async authenticateToken(token) {
    return tokens[token] ? { user: makeUser(tokens[token]!) } : null;
  },
});

test('bearer tokens: the header is removed; an unknown token is an error; other schemes are ignored', async () => {
  const bearer = new BearerTokenAuthenticator(new TokenUnion([tokenAuth({ t1: 'tom' })]), []);
  const r = req({ authorization: 'Bearer t1' });
  assert.equal((await bearer.authenticate(r))?.user.username, 'tom');
  assert.equal(r.headers.authorization, undefined);
  await assert.rejects(
    async () => bearer.authenticate(req({ authorization: 'Bearer nope' })),
    /invalid bearer token/,
  );
  assert.equal(bearer.authenticate(req({ authorization: 'Basic dTpw' })), null);
  assert.equal(bearer.authenticate(req({ authorization: 'Bearer ' })), null);
});

test('the websocket subprotocol carries a token, and is removed from the protocol list', () => {
  const encoded = Buffer.from('ws-token').toString('base64url');
  const r = req({
    upgrade: 'websocket',
    'sec-websocket-protocol': `v4.channel.k8s.io, base64url.bearer.authorization.k8s.io.${encoded}`,
  });
  assert.equal(takeToken(r), 'ws-token');
  assert.equal(r.headers['sec-websocket-protocol'], 'v4.channel.k8s.io');
});

test('audience-agnostic tokens are valid for the API audiences only', async () => {
  const wrapped = new AudienceAgnostic(tokenAuth({ t1: 'tom' }), ['api', 'api2']);
  assert.deepEqual((await wrapped.authenticateToken('t1', ['api2', 'x']))?.audiences, ['api2']);
  assert.equal(await wrapped.authenticateToken('t1', ['elsewhere']), null);
});

test('the token union aggregates errors as kube does', async () => {
  const failing = (msg: string): TokenAuthenticator => ({
    name: msg,
    async authenticateToken() {
      throw new AuthenticationError(msg);
    },
  });
  await assert.rejects(new TokenUnion([failing('a'), failing('b')]).authenticateToken('x', []), {
    message: '[a, b]',
  });
  assert.equal(await new TokenUnion([tokenAuth({})]).authenticateToken('x', []), null);
});
