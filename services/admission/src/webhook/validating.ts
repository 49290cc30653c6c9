// ValidatingAdmissionWebhook: every matching webhook is called in parallel (as kube does);
// a denial or a failing-closed call rejects the request. The first error in webhook order wins
// so the answer is deterministic.
import { newInternalError } from '@splitplane/apimachinery';
import type { AdmissionAttributes, AdmissionContext, Operation, Plugin } from '../chain/plugin.js';
import { callWebhook, recordResponse } from './call.js';
import { WebhookCallError, denialError } from './errors.js';
import { invocationsFor, listWebhooks, type Invocation } from './invocations.js';
import { resolveOptions, type ResolvedOptions, type WebhookPluginOptions } from './options.js';

export class ValidatingWebhookPlugin implements Plugin {
  readonly name = 'ValidatingAdmissionWebhook';
  private readonly o: ResolvedOptions;

  constructor(options: WebhookPluginOptions) {
    this.o = resolveOptions(options);
  }

  /**
   * Every operation: the registry skips phases by a chain description refreshed every few
   * seconds, and a new configuration must take effect as soon as the informer has it.
   */
  handles(_operation: Operation): boolean {
    return true;
  }

  async validate(attributes: AdmissionAttributes, context: AdmissionContext): Promise<void> {
    const invocations = await invocationsFor(
      listWebhooks(this.o.configurations),
      attributes,
      this.o,
    );
    const results = await Promise.allSettled(
      invocations.map((inv, index) => this.callOne(inv, index, attributes, context)),
    );
    for (const r of results) if (r.status === 'rejected') throw r.reason;
  }

  private async callOne(
    inv: Invocation,
    index: number,
    attributes: AdmissionAttributes,
    context: AdmissionContext,
  ): Promise<void> {
    let response;
    try {
      response = await callWebhook(inv, attributes, attributes.object, {
        resolver: this.o.resolver,
        mutating: false,
        converter: this.o.converter,
      });
    } catch (err) {
      if (!(err instanceof WebhookCallError)) throw err;
      if (inv.webhook.failurePolicy === 'Ignore') {
        context.auditAnnotations[
          `failed-open.validating.webhook.admission.k8s.io/round_0_index_${index}`
        ] = inv.webhook.name;
        return;
      }
      throw newInternalError(err);
    }
    recordResponse(inv.webhook.name, response, context);
    if (!response.allowed) throw denialError(inv.webhook.name, response.status);
  }
}
