import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Attributes, AuthorizationResult, Authorizer } from './authorizer.js';
import { UnionAuthorizer } from './union.js';

const answer = (result: AuthorizationResult): Authorizer => ({ authorize: async () => result });
const attrs = {} as Attributes;

describe('UnionAuthorizer', () => {
  it('returns the first decisive answer', async () => {
    const union = new UnionAuthorizer([
      answer({ decision: 'NoOpinion', reason: 'first', evaluationError: 'down' }),
      answer({ decision: 'Deny', reason: 'no' }),
      answer({ decision: 'Allow', reason: 'yes' }),
    ]);
    assert.deepEqual(await union.authorize(attrs), { decision: 'Deny', reason: 'no' });
  });

  it('keeps the reasons and evaluation errors of modes that had no opinion', async () => {
    const one = new UnionAuthorizer([
      answer({ decision: 'NoOpinion', reason: 'a' }),
      answer({ decision: 'NoOpinion', reason: 'b', evaluationError: 'webhook down' }),
    ]);
    assert.deepEqual(await one.authorize(attrs), {
      decision: 'NoOpinion',
      reason: 'a\nb',
      evaluationError: 'webhook down',
    });
    const two = new UnionAuthorizer([
      answer({ decision: 'NoOpinion', reason: '', evaluationError: 'x' }),
      answer({ decision: 'NoOpinion', reason: '', evaluationError: 'y' }),
    ]);
    assert.equal((await two.authorize(attrs)).evaluationError, '[x, y]');
    const none = new UnionAuthorizer([answer({ decision: 'NoOpinion', reason: '' })]);
    assert.deepEqual(await none.authorize(attrs), { decision: 'NoOpinion', reason: '' });
  });
});
