// The Webhook mode of --authorization-mode: each question becomes an authorization.k8s.io
// SubjectAccessReview POSTed to the service the kubeconfig names. Allowed -> Allow, denied ->
// Deny, neither -> NoOpinion, with the review's reason. A failed call (after kube's retry
// backoff) is NoOpinion with the error as evaluationError, so later modes still decide.
// Answers are cached by the review's spec for the authorized and unauthorized TTLs.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import type { Attributes, AuthorizationResult, Authorizer } from '../authorizer/authorizer.js';
import { DecisionCache } from './decision-cache.js';
import { parseDuration } from './duration.js';
import { loadWebhookKubeconfig, type WebhookConnection } from './kubeconfig.js';

export const DEFAULT_AUTHORIZED_TTL_MS = 5 * 60_000;
export const DEFAULT_UNAUTHORIZED_TTL_MS = 30_000;
const CACHE_ENTRIES = 8192;

export type WebhookVersion = 'v1' | 'v1beta1';

export interface WebhookAuthorizerOptions {
  connection: WebhookConnection;
  version?: WebhookVersion;
  authorizedTtlMs?: number;
  unauthorizedTtlMs?: number;
  /** Per-attempt timeout (kube's webhook default: 30 s). */
  requestTimeoutMs?: number;
  /** kube's DefaultAuthWebhookRetryBackoff: 500 ms, x1.5, 5 attempts. */
  retry?: { initialMs: number; factor: number; attempts: number };
}

/** The parsed --authorization-webhook-* flag values. */
export interface WebhookFlagValues {
  configFile: string;
  /** --authorization-webhook-version: v1 (default) or v1beta1. */
  version?: string;
  /** Go duration ("5m0s") or milliseconds. */
  cacheAuthorizedTtl?: string | number;
  cacheUnauthorizedTtl?: string | number;
}

/** evaluationError is set when the webhook could not be asked or answered nonsense. */
export type WebhookAuthorizationResult = AuthorizationResult;

export class WebhookError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'WebhookError';
  }
}

interface ReviewStatus {
  allowed?: boolean;
  denied?: boolean;
  reason?: string;
  evaluationError?: string;
}

class HttpStatusError extends WebhookError {
  constructor(
    readonly code: number,
    body: string,
  ) {
    super(`webhook answered HTTP ${code}: ${body.slice(0, 200)}`);
  }
}

const retryable = (err: unknown) =>
  !(err instanceof HttpStatusError) || err.code >= 500 || err.code === 429;

export class WebhookAuthorizer implements Authorizer {
  readonly #cache = new DecisionCache<WebhookAuthorizationResult>(CACHE_ENTRIES);
  readonly #url: URL;
  readonly #version: WebhookVersion;
  /** Calls made to the remote service (tests read it to see the cache work). */
  requests = 0;

  constructor(private readonly opts: WebhookAuthorizerOptions) {
    this.#url = new URL(opts.connection.server);
    this.#version = opts.version ?? 'v1';
  }

  async authorize(attributes: Attributes): Promise<WebhookAuthorizationResult> {
    const review = this.#review(attributes);
    const key = JSON.stringify(review.spec);
    const cached = this.#cache.get(key);
    if (cached) return cached;
    let status: ReviewStatus;
    try {
      status = await this.#post(review);
    } catch (err) {
      return {
        decision: 'NoOpinion',
        reason: '',
        evaluationError: `error contacting webhook: ${(err as Error).message}`,
      };
    }
    const result = decide(status);
    if (result.evaluationError === undefined || result.decision !== 'NoOpinion') {
      this.#cache.set(
        key,
        result,
        result.decision === 'Allow'
          ? (this.opts.authorizedTtlMs ?? DEFAULT_AUTHORIZED_TTL_MS)
          : (this.opts.unauthorizedTtlMs ?? DEFAULT_UNAUTHORIZED_TTL_MS),
      );
    }
    return result;
  }

  #review(a: Attributes) {
    const extra = Object.fromEntries(
      Object.entries(a.user.extra ?? {}).map(([k, v]) => [k, [...(v?.values ?? [])]]),
    );
    const spec: Record<string, unknown> = {
      ...(a.resourceRequest
        ? {
            resourceAttributes: {
              namespace: a.namespace,
              verb: a.verb,
              group: a.apiGroup,
              version: a.apiVersion,
              resource: a.resource,
              subresource: a.subresource,
              name: a.name,
            },
          }
        : { nonResourceAttributes: { path: a.path, verb: a.verb } }),
      user: a.user.username,
      // v1beta1 spells the groups field "group".
      [this.#version === 'v1' ? 'groups' : 'group']: [...a.user.groups],
      ...(Object.keys(extra).length ? { extra } : {}),
      uid: a.user.uid,
    };
    return {
      apiVersion: `authorization.k8s.io/${this.#version}`,
      kind: 'SubjectAccessReview',
      metadata: { creationTimestamp: null },
      spec,
    };
  }

  async #post(review: unknown): Promise<ReviewStatus> {
    const retry = this.opts.retry ?? { initialMs: 500, factor: 1.5, attempts: 5 };
    let delay = retry.initialMs;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#postOnce(review);
      } catch (err) {
        if (attempt >= retry.attempts || !retryable(err)) throw err;
        await new Promise((resolve) => setTimeout(resolve, delay * (0.8 + Math.random() * 0.4)));
        delay *= retry.factor;
      }
    }
  }

  #postOnce(review: unknown): Promise<ReviewStatus> {
    const body = Buffer.from(JSON.stringify(review));
    const c = this.opts.connection;
    const options: RequestOptions = {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json',
        'Content-Length': body.length,
        ...(c.token ? { Authorization: `Bearer ${c.token}` } : {}),
      },
      timeout: this.opts.requestTimeoutMs ?? 30_000,
      ...(c.ca ? { ca: c.ca } : {}),
      ...(c.cert && c.key ? { cert: c.cert, key: c.key } : {}),
      ...(c.tlsServerName ? { servername: c.tlsServerName } : {}),
      rejectUnauthorized: !c.insecureSkipTLSVerify,
      agent: false,
    };
    const send = this.#url.protocol === 'http:' ? httpRequest : httpsRequest;
    this.requests++;
    return new Promise((resolve, reject) => {
      const req = send(this.#url, options, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const code = res.statusCode ?? 0;
          if (code < 200 || code >= 300) return reject(new HttpStatusError(code, text));
          try {
            const parsed = JSON.parse(text) as { status?: ReviewStatus };
            resolve(parsed.status ?? {});
          } catch (err) {
            reject(
              new WebhookError(`webhook answered invalid JSON: ${(err as Error).message}`, {
                cause: err,
              }),
            );
          }
        });
      });
      req.on('timeout', () => req.destroy(new WebhookError('webhook request timed out')));
      req.on('error', reject);
      req.end(body);
    });
  }
}

/** kube's mapping of a SubjectAccessReview status to a decision. */
function decide(status: ReviewStatus): WebhookAuthorizationResult {
  const reason = status.reason ?? '';
  const evaluationError = status.evaluationError ? { evaluationError: status.evaluationError } : {};
  if (status.allowed && status.denied) {
    return {
      decision: 'Deny',
      reason,
      evaluationError: 'webhook subject access review returned both allow and deny response',
    };
  }
  if (status.denied) return { decision: 'Deny', reason, ...evaluationError };
  if (status.allowed) return { decision: 'Allow', reason, ...evaluationError };
  return { decision: 'NoOpinion', reason, ...evaluationError };
}

/** Builds the Webhook mode from its flags; a bad config file or duration fails here. */
export function createWebhookAuthorizer(flags: WebhookFlagValues): WebhookAuthorizer {
  if (!flags.configFile) {
    throw new WebhookError('--authorization-webhook-config-file is required for the Webhook mode');
  }
  const version = flags.version || 'v1';
  if (version !== 'v1' && version !== 'v1beta1') {
    throw new WebhookError(
      `--authorization-webhook-version=${version}: supported versions are v1 and v1beta1`,
    );
  }
  return new WebhookAuthorizer({
    connection: loadWebhookKubeconfig(flags.configFile),
    version,
    authorizedTtlMs: parseDuration(flags.cacheAuthorizedTtl ?? DEFAULT_AUTHORIZED_TTL_MS),
    unauthorizedTtlMs: parseDuration(flags.cacheUnauthorizedTtl ?? DEFAULT_UNAUTHORIZED_TTL_MS),
  });
}
