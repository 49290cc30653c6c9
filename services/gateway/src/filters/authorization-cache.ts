// Remembers the authz service's decisions for a short while so repeated identical requests
// skip the round trip, as kube's webhook authorizer does with
// --authorization-webhook-cache-{authorized,unauthorized}-ttl.
//
// Safety: the key is every attribute the decision depends on (the whole user and every
// request attribute), so a decision only ever answers the exact attributes it was made for;
// a cached denial stays a denial until it expires. Errors are never cached.
//
// Freshness: every Role/ClusterRole/RoleBinding/ClusterRoleBinding event empties the cache
// (authorization-cache-invalidation.ts), and the TTLs bound what a lost event can leave.
// A decision asked before an invalidation is not stored after it (generation check), so a
// slow answer computed from the old policy cannot outlive the change.
import { LRUCache } from 'lru-cache';
import type { AuthorizeRequest, UserInfo } from '@splitplane/proto';

export interface AuthorizationCacheOptions {
  /** How long an Allow is reused; 0 disables caching of allows. */
  authorizedTtlMs: number;
  /** How long a Deny/NoOpinion is reused; 0 disables caching of denials. */
  unauthorizedTtlMs: number;
  /** Bound on remembered decisions (least recently used go first). */
  maxEntries?: number;
}

export interface CachedDecision {
  allowed: boolean;
  /** The authorizer's reason, part of the 403 message. */
  reason: string;
}

export const DEFAULT_AUTHORIZATION_CACHE_ENTRIES = 10_000;

export class AuthorizationCache {
  private readonly lru: LRUCache<string, CachedDecision>;
  private readonly authorizedTtlMs: number;
  private readonly unauthorizedTtlMs: number;
  private gen = 0;

  constructor(opts: AuthorizationCacheOptions) {
    this.authorizedTtlMs = opts.authorizedTtlMs;
    this.unauthorizedTtlMs = opts.unauthorizedTtlMs;
    // ttlAutopurge stays off: expired entries are dropped when read or evicted by size.
    this.lru = new LRUCache<string, CachedDecision>({
      max: opts.maxEntries ?? DEFAULT_AUTHORIZATION_CACHE_ENTRIES,
      ttl: Math.max(this.authorizedTtlMs, this.unauthorizedTtlMs, 1),
    });
  }

  /** False when both TTLs are 0: the filter then skips building keys at all. */
  get enabled(): boolean {
    return this.authorizedTtlMs > 0 || this.unauthorizedTtlMs > 0;
  }

  get size(): number {
    return this.lru.size;
  }

  /** Bumped by every invalidate(); read it before asking authz, pass it to set(). */
  get generation(): number {
    return this.gen;
  }

  /** Forgets every decision (RBAC changed). */
  invalidate(): void {
    this.gen++;
    this.lru.clear();
  }

  get(key: string): CachedDecision | undefined {
    return this.lru.get(key);
  }

  /** Stores a decision unless the cache was invalidated since `generation` was read. */
  set(key: string, decision: CachedDecision, generation = this.gen): void {
    const ttl = decision.allowed ? this.authorizedTtlMs : this.unauthorizedTtlMs;
    if (ttl <= 0 || generation !== this.gen) return;
    this.lru.set(key, decision, { ttl });
  }
}

// A connection's UserInfo is one frozen object shared by all its requests (authentication.ts),
// so its part of the key is built once.
const userKeys = new WeakMap<UserInfo, string>();

function userKey(user: UserInfo | undefined): string {
  if (!user) return 'null';
  let key = userKeys.get(user);
  if (key === undefined) {
    key = JSON.stringify([user.username, user.uid, user.groups, user.extra]);
    if (Object.isFrozen(user)) userKeys.set(user, key);
  }
  return key;
}

/**
 * The cache key: every field of the AuthorizeRequest. JSON encoding keeps fields apart
 * (no separator inside a value can make two different requests collide).
 */
export function authorizationCacheKey(request: AuthorizeRequest): string {
  return `${userKey(request.user)}\n${JSON.stringify([
    request.verb,
    request.resourceRequest,
    request.path,
    request.apiGroup,
    request.apiVersion,
    request.resource,
    request.subresource,
    request.namespace,
    request.name,
  ])}`;
}
