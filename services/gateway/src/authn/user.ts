// The users and groups kube's authenticators assert, and helpers to build frozen UserInfos
// (a connection's user is shared by every request on it).
import type { UserInfo } from '@splitplane/proto';

export const AUTHENTICATED_GROUP = 'system:authenticated';
export const ANONYMOUS_USER = 'system:anonymous';
export const UNAUTHENTICATED_GROUP = 'system:unauthenticated';
export const SERVICE_ACCOUNT_PREFIX = 'system:serviceaccount:';
export const ALL_SERVICE_ACCOUNTS_GROUP = 'system:serviceaccounts';

export function makeUser(
  username: string,
  uid = '',
  groups: readonly string[] = [],
  extra: Record<string, readonly string[]> = {},
): UserInfo {
  const out: UserInfo['extra'] = {};
  for (const [k, v] of Object.entries(extra)) out[k] = { values: [...v] };
  return { username, uid, groups: [...groups], extra: out };
}

/** kube's AuthenticatedGroupAdder: every authenticated (non-anonymous) user is in system:authenticated. */
export function withAuthenticatedGroup(user: UserInfo): UserInfo {
  if (user.username === ANONYMOUS_USER) return user;
  if (user.groups.includes(AUTHENTICATED_GROUP)) return user;
  return { ...user, groups: [...user.groups, AUTHENTICATED_GROUP] };
}

export function freezeUser(user: UserInfo): UserInfo {
  Object.freeze(user.groups);
  for (const v of Object.values(user.extra)) Object.freeze(v.values);
  Object.freeze(user.extra);
  return Object.freeze(user);
}

/** The user as the authentication API types render it (TokenReview, SelfSubjectReview). */
export function userInfoJson(user: UserInfo): Record<string, unknown> {
  const out: Record<string, unknown> = { username: user.username };
  if (user.uid) out.uid = user.uid;
  if (user.groups.length) out.groups = [...user.groups];
  const extra = Object.entries(user.extra);
  if (extra.length) out.extra = Object.fromEntries(extra.map(([k, v]) => [k, [...v.values]]));
  return out;
}

export const ANONYMOUS: UserInfo = freezeUser(
  makeUser(ANONYMOUS_USER, '', [UNAUTHENTICATED_GROUP]),
);
