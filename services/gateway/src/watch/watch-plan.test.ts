// Watch option validation and start planning, against kube's validateWatchOptions wording.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StatusError } from '@splitplane/apimachinery';
import type { ListOptions } from '@splitplane/proto';
import { planWatch } from './watch-plan.js';

const opts = (o: Partial<ListOptions>): ListOptions => ({
  labelSelector: '',
  fieldSelector: '',
  resourceVersion: '',
  resourceVersionMatch: '',
  limit: '0',
  continue: '',
  allowWatchBookmarks: false,
  timeoutSeconds: '0',
  ...o,
});

function rejects(o: Partial<ListOptions>, code: number, message: string) {
  assert.throws(
    () => planWatch(opts(o)),
    (err: unknown) =>
      err instanceof StatusError && err.status.code === code && err.status.message === message,
  );
}

describe('planWatch', () => {
  it('rejects sendInitialEvents without resourceVersionMatch=NotOlderThan (422)', () => {
    rejects(
      { sendInitialEvents: true },
      422,
      'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan',
    );
  });

  it('rejects resourceVersionMatch without sendInitialEvents (422)', () => {
    rejects(
      { resourceVersionMatch: 'NotOlderThan' },
      422,
      'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided',
    );
  });

  it('rejects resourceVersionMatch=Exact on a watch-list with both of kube errors', () => {
    rejects(
      { sendInitialEvents: true, resourceVersionMatch: 'Exact' },
      422,
      'ListOptions.meta.k8s.io "" is invalid: [resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan, resourceVersionMatch: Unsupported value: "Exact": supported values: "NotOlderThan"]',
    );
  });

  it('rejects a resourceVersion that is not a number (400)', () => {
    rejects(
      { resourceVersion: 'abc' },
      400,
      'resourceVersion: Invalid value: "abc": must be an integer',
    );
  });

  it('plans the legacy starts: unset and "0" list first, X starts after X', () => {
    assert.deepEqual(
      [
        planWatch(opts({})),
        planWatch(opts({ resourceVersion: '0' })),
        planWatch(opts({ resourceVersion: '42' })),
      ].map((p) => [p.start, p.listRv, p.startRv, p.initialEventsEndBookmark]),
      [
        ['list', '', 0n, false],
        ['list', '0', 0n, false],
        ['rv', '', 42n, false],
      ],
    );
  });

  it('plans watch-lists: the list is NotOlderThan X and ends with a bookmark when allowed', () => {
    const p = planWatch(
      opts({
        sendInitialEvents: true,
        resourceVersionMatch: 'NotOlderThan',
        resourceVersion: '42',
        allowWatchBookmarks: true,
      }),
    );
    assert.deepEqual(
      [p.start, p.listRv, p.listMatch, p.initialEventsEndBookmark],
      ['list', '42', 'NotOlderThan', true],
    );
    const noMarks = planWatch(
      opts({ sendInitialEvents: true, resourceVersionMatch: 'NotOlderThan' }),
    );
    assert.deepEqual(
      [noMarks.start, noMarks.listRv, noMarks.initialEventsEndBookmark],
      ['list', '', false],
    );
  });

  it('plans sendInitialEvents=false: no initial events, from X or from now', () => {
    const base = { sendInitialEvents: false, resourceVersionMatch: 'NotOlderThan' };
    assert.equal(planWatch(opts(base)).start, 'now');
    assert.equal(planWatch(opts({ ...base, resourceVersion: '0' })).start, 'now');
    const at = planWatch(opts({ ...base, resourceVersion: '7' }));
    assert.deepEqual([at.start, at.startRv], ['rv', 7n]);
  });
});
