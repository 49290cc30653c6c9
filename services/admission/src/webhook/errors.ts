// kube's webhook failures: a call that did not produce a usable answer (ErrCallingWebhook,
// subject to failurePolicy) and the Status a webhook's denial becomes.
import { StatusError, newBadRequest, type Status } from '@splitplane/apimachinery';

/** The webhook could not be called or answered nonsense; failurePolicy decides. */
export class WebhookCallError extends Error {
  constructor(
    readonly webhookName: string,
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`failed calling webhook "${webhookName}": ${reason}`, options);
    this.name = 'WebhookCallError';
  }
}

/** The Status of a denial: the webhook's code (at least 400) with kube's message prefix. */
export function denialError(webhookName: string, result: Partial<Status> | undefined): StatusError {
  const deniedBy = `admission webhook "${webhookName}" denied the request`;
  const r = result ?? {};
  const code = typeof r.code === 'number' && r.code >= 400 ? r.code : 400;
  let message: string;
  if (r.message) message = `${deniedBy}: ${r.message}`;
  else if (r.reason) message = `${deniedBy}: ${r.reason}`;
  else message = `${deniedBy} without explanation`;
  const status: ConstructorParameters<typeof StatusError>[0] = { code, message };
  if (r.reason) status.reason = r.reason as Status['reason'];
  if (r.details) status.details = r.details;
  return new StatusError(status);
}

/** kube refuses to send a dry-run request to a webhook that may have side effects. */
export const dryRunUnsupported = (webhookName: string) =>
  newBadRequest(`admission webhook "${webhookName}" does not support dry run`);
