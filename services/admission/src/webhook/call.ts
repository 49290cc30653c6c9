// Calls one matched webhook: dry-run/sideEffects gate, AdmissionReview round trip, response
// checks. Anything short of a usable answer is a WebhookCallError for failurePolicy to judge.
import { randomUUID } from 'node:crypto';
import { isQualifiedName } from '@splitplane/apimachinery';
import { httpFailureMessage } from './http-failure.js';
import type { KubeObject } from '@splitplane/scheme';
import type { AdmissionAttributes, AdmissionContext } from '../chain/plugin.js';
import { postReview, webhookTarget, type WebhookResponse } from './client.js';
import { WebhookCallError, dryRunUnsupported } from './errors.js';
import type { Invocation } from './invocations.js';
import {
  buildReview,
  parseReviewResponse,
  pickReviewVersion,
  type AdmissionResponse,
} from './review.js';
import type { ObjectVersionConverter, ServiceResolver, WebhookSpec } from './types.js';

export const DEFAULT_TIMEOUT_SECONDS = 10;

export interface CallOptions {
  resolver?: ServiceResolver | undefined;
  mutating: boolean;
  converter: ObjectVersionConverter;
}

/**
 * kube only sends dry-run requests to webhooks that declare no side effects: a 400 for those
 * that may have some, a call failure (failurePolicy decides) when sideEffects is unset.
 */
export function checkDryRun(webhook: WebhookSpec, attributes: AdmissionAttributes): void {
  if (!attributes.dryRun) return;
  const se = webhook.sideEffects;
  if (se === undefined) throw new WebhookCallError(webhook.name, 'Webhook SideEffects is nil');
  if (se !== 'None' && se !== 'NoneOnDryRun') throw dryRunUnsupported(webhook.name);
}

export async function callWebhook(
  invocation: Invocation,
  attributes: AdmissionAttributes,
  object: KubeObject | undefined,
  options: CallOptions,
): Promise<AdmissionResponse> {
  const { webhook } = invocation;
  checkDryRun(webhook, attributes);
  const version = pickReviewVersion(webhook.admissionReviewVersions ?? []);
  if (!version) {
    throw new WebhookCallError(
      webhook.name,
      'could not create admission objects: webhook does not accept known AdmissionReview versions (v1, v1beta1)',
    );
  }
  const uid = randomUUID();
  const timeoutSeconds = webhook.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
  let res: WebhookResponse;
  try {
    const target = webhookTarget(webhook.clientConfig, timeoutSeconds, options.resolver);
    const body = JSON.stringify(
      buildReview(version, uid, invocation, attributes, object, options.converter),
    );
    res = await postReview(target, webhook.clientConfig.caBundle, body, timeoutSeconds * 1000);
  } catch (err) {
    throw new WebhookCallError(webhook.name, `failed to call webhook: ${(err as Error).message}`, {
      cause: err,
    });
  }
  if (res.statusCode < 200 || res.statusCode > 299)
    throw new WebhookCallError(webhook.name, `failed to call webhook: ${httpFailureMessage(res)}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(res.body);
  } catch (err) {
    throw new WebhookCallError(
      webhook.name,
      `failed to call webhook: couldn't get version/kind; json parse error: ${(err as Error).message}`,
      { cause: err },
    );
  }
  try {
    return parseReviewResponse(parsed, version, uid, options.mutating);
  } catch (err) {
    throw new WebhookCallError(
      webhook.name,
      `received invalid webhook response: ${(err as Error).message}`,
      { cause: err },
    );
  }
}

/** Warnings and (webhook-name prefixed) audit annotations of an answer, as kube records them. */
export function recordResponse(
  webhookName: string,
  response: AdmissionResponse,
  context: AdmissionContext,
): void {
  for (const w of response.warnings ?? []) context.warnings.push(w);
  for (const [k, v] of Object.entries(response.auditAnnotations ?? {}))
    addAuditAnnotation(context, `${webhookName}/${k}`, v);
}

/**
 * kube's AddAnnotation: the key must be `<dns-subdomain>/<name>` (a qualified name) and an
 * annotation is never overwritten with another value; offending ones are dropped (kube logs).
 */
export function addAuditAnnotation(context: AdmissionContext, key: string, value: string): boolean {
  if (key.split('/').length !== 2 || isQualifiedName(key).length > 0) return false;
  const existing = context.auditAnnotations[key];
  if (existing !== undefined && existing !== value) return false;
  context.auditAnnotations[key] = value;
  return true;
}
