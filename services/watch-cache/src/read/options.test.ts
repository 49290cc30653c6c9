// Option parsing and validation: kube's ValidateListOptions (422), and the 400s of the
// storage layer for resourceVersion, limit and continue.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StatusError } from '@splitplane/apimachinery';
import type { ListOptions } from '@splitplane/proto';
import { encodeContinue } from '@splitplane/storage';
import { getConsistency, listPlan, parseLimit } from './options.js';

const prefix = '/registry/pods/default/';
const opts = (partial: Partial<ListOptions> = {}): ListOptions => ({
  labelSelector: '',
  fieldSelector: '',
  resourceVersion: '',
  resourceVersionMatch: '',
  limit: '0',
  continue: '',
  allowWatchBookmarks: false,
  timeoutSeconds: '0',
  ...partial,
});

function rejects(fn: () => unknown, code: number, reason: string, message: string): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof StatusError, String(err));
    assert.equal(err.code, code);
    assert.equal(err.reason, reason);
    assert.equal(err.message, message);
    return true;
  });
}

describe('listPlan', () => {
  it('maps every resourceVersion mode as kube 1.32 does', () => {
    assert.deepEqual(listPlan(opts(), prefix), { consistency: { kind: 'consistent' }, limit: 0 });
    assert.deepEqual(listPlan(opts({ limit: '5' }), prefix), {
      consistency: { kind: 'consistent' },
      limit: 5,
    });
    // "0" is any, and the cache ignores limit for it.
    assert.deepEqual(listPlan(opts({ resourceVersion: '0', limit: '5' }), prefix), {
      consistency: { kind: 'any' },
      limit: 0,
    });
    assert.deepEqual(listPlan(opts({ resourceVersion: '7' }), prefix), {
      consistency: { kind: 'not-older-than', rv: 7n },
      limit: 0,
    });
    assert.deepEqual(
      listPlan(
        opts({ resourceVersion: '7', resourceVersionMatch: 'NotOlderThan', limit: '3' }),
        prefix,
      ),
      { consistency: { kind: 'not-older-than', rv: 7n }, limit: 0 },
    );
    // A limit with a resourceVersion and no match is the legacy exact read.
    assert.deepEqual(listPlan(opts({ resourceVersion: '7', limit: '3' }), prefix), {
      consistency: { kind: 'exact', rv: 7n },
      limit: 3,
    });
    assert.deepEqual(
      listPlan(opts({ resourceVersion: '7', resourceVersionMatch: 'Exact' }), prefix),
      {
        consistency: { kind: 'exact', rv: 7n },
        limit: 0,
      },
    );
  });

  it('resumes a continue token exactly at its revision, or at the latest for rv -1', () => {
    const token = encodeContinue(`${prefix}b\u0000`, prefix, '42');
    assert.deepEqual(listPlan(opts({ continue: token, limit: '2' }), prefix), {
      consistency: { kind: 'exact', rv: 42n },
      limit: 2,
      startKey: `${prefix}b\u0000`,
    });
    const latest = encodeContinue(`${prefix}b`, prefix, '-1');
    assert.deepEqual(listPlan(opts({ continue: latest, resourceVersion: '0' }), prefix), {
      consistency: { kind: 'consistent' },
      limit: 0,
      startKey: `${prefix}b`,
    });
  });

  it("rejects what kube's ValidateListOptions rejects with 422 Invalid", () => {
    rejects(
      () => listPlan(opts({ resourceVersionMatch: 'Exact' }), prefix),
      422,
      'Invalid',
      'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided',
    );
    rejects(
      () => listPlan(opts({ resourceVersion: '0', resourceVersionMatch: 'Exact' }), prefix),
      422,
      'Invalid',
      'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch "exact" is forbidden for resourceVersion "0"',
    );
    rejects(
      () => listPlan(opts({ resourceVersion: '5', resourceVersionMatch: 'Newest' }), prefix),
      422,
      'Invalid',
      'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Unsupported value: "Newest": supported values: "Exact", "NotOlderThan", ""',
    );
  });

  it('rejects a malformed resourceVersion, limit or continue with 400', () => {
    rejects(
      () => listPlan(opts({ resourceVersion: 'abc' }), prefix),
      400,
      'BadRequest',
      'resourceVersion: Invalid value: "abc": strconv.ParseUint: parsing "abc": invalid syntax',
    );
    rejects(
      () => listPlan(opts({ resourceVersion: '-1' }), prefix),
      400,
      'BadRequest',
      'resourceVersion: Invalid value: "-1": strconv.ParseUint: parsing "-1": invalid syntax',
    );
    rejects(
      () => listPlan(opts({ resourceVersion: '18446744073709551616' }), prefix),
      400,
      'BadRequest',
      'resourceVersion: Invalid value: "18446744073709551616": strconv.ParseUint: parsing "18446744073709551616": value out of range',
    );
    rejects(
      () => listPlan(opts({ limit: 'ten' }), prefix),
      400,
      'BadRequest',
      'strconv.ParseInt: parsing "ten": invalid syntax',
    );
    rejects(
      () => listPlan(opts({ continue: 'bm90LWpzb24' }), prefix),
      400,
      'BadRequest',
      'invalid continue token: continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
    );
    const token = encodeContinue(`${prefix}b`, prefix, '42');
    rejects(
      () => listPlan(opts({ continue: token, resourceVersion: '42' }), prefix),
      400,
      'BadRequest',
      'specifying resource version is not allowed when using continue',
    );
  });

  it('treats a zero or negative limit as no limit, as kube does', () => {
    assert.equal(parseLimit('0'), 0);
    assert.equal(parseLimit('-5'), 0);
    assert.equal(parseLimit('500'), 500);
  });
});

describe('getConsistency', () => {
  it('maps unset, "0" and a revision; rejects garbage with 400', () => {
    assert.deepEqual(getConsistency(''), { kind: 'consistent' });
    assert.deepEqual(getConsistency('0'), { kind: 'any' });
    assert.deepEqual(getConsistency('12'), { kind: 'not-older-than', rv: 12n });
    rejects(
      () => getConsistency('1.5'),
      400,
      'BadRequest',
      'resourceVersion: Invalid value: "1.5": strconv.ParseUint: parsing "1.5": invalid syntax',
    );
  });
});
