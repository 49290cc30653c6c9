// What a watch request asks for, validated as kube-apiserver validates watch ListOptions
// (apimachinery's validateWatchOptions: 422 Invalid on ListOptions.meta.k8s.io), and where
// its stream starts, following the cacher:
// - sendInitialEvents unset: RV unset => the state of a consistent list as ADDED events, then
//   what follows it; RV "0" => the same from any recent state; RV X => events after X.
// - sendInitialEvents=true (with resourceVersionMatch=NotOlderThan): the state at an RV not
//   older than X (consistent when unset) as ADDED events, then, with allowWatchBookmarks,
//   a BOOKMARK annotated k8s.io/initial-events-end at that RV, then what follows.
// - sendInitialEvents=false: no initial events; starts at X, or at the current RV when X is
//   unset (consistent) or "0" (any recent).
import {
  type FieldError,
  forbidden,
  newBadRequest,
  newInvalid,
  notSupported,
} from '@splitplane/apimachinery';
import type { ListOptions } from '@splitplane/proto';

export interface WatchPlan {
  /** 'list': ADDED events of a list at listRv; 'now': start at a list's RV; 'rv': start at startRv. */
  start: 'list' | 'now' | 'rv';
  /** resourceVersion for the List RPC ('' = consistent). */
  listRv: string;
  /** resourceVersionMatch for the List RPC. */
  listMatch: string;
  startRv: bigint;
  initialEventsEndBookmark: boolean;
  allowWatchBookmarks: boolean;
}

const NOT_OLDER_THAN = 'NotOlderThan';

export function planWatch(options: ListOptions): WatchPlan {
  const match = options.resourceVersionMatch ?? '';
  const send = options.sendInitialEvents;
  const errs: FieldError[] = [];
  if (send !== undefined && match !== NOT_OLDER_THAN) {
    errs.push(
      forbidden(
        'resourceVersionMatch',
        `sendInitialEvents requires setting resourceVersionMatch to ${NOT_OLDER_THAN}`,
      ),
    );
  }
  if (match) {
    if (send === undefined) {
      errs.push(
        forbidden(
          'resourceVersionMatch',
          'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided',
        ),
      );
    }
    if (match !== NOT_OLDER_THAN) {
      errs.push(notSupported('resourceVersionMatch', match, [NOT_OLDER_THAN]));
    }
    if (options.continue) {
      errs.push(
        forbidden(
          'resourceVersionMatch',
          'resourceVersionMatch is forbidden when continue is provided',
        ),
      );
    }
  }
  if (errs.length) throw newInvalid({ group: 'meta.k8s.io', kind: 'ListOptions' }, '', errs);

  const rv = options.resourceVersion ?? '';
  if (rv && !/^\d+$/.test(rv)) {
    throw newBadRequest(`resourceVersion: Invalid value: "${rv}": must be an integer`);
  }
  const allowWatchBookmarks = options.allowWatchBookmarks ?? false;
  const base = { allowWatchBookmarks, initialEventsEndBookmark: false, listMatch: '' };
  if (send === true) {
    return {
      ...base,
      start: 'list',
      listRv: rv,
      listMatch: rv ? NOT_OLDER_THAN : '',
      startRv: 0n,
      // kube's cacher only marks the end of the initial events for clients taking bookmarks.
      initialEventsEndBookmark: allowWatchBookmarks,
    };
  }
  if (send === false) {
    if (rv === '' || rv === '0') return { ...base, start: 'now', listRv: rv, startRv: 0n };
    return { ...base, start: 'rv', listRv: '', startRv: BigInt(rv) };
  }
  if (rv === '' || rv === '0') return { ...base, start: 'list', listRv: rv, startRv: 0n };
  return { ...base, start: 'rv', listRv: '', startRv: BigInt(rv) };
}
