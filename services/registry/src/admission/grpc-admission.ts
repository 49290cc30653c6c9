// Admission over gRPC to the admission service (splitplane.v1.Admission).
import { randomUUID } from 'node:crypto';
import { AdmissionClient, type AdmissionRequest, type AdmissionResponse } from '@splitplane/proto';
import { call, dial } from '@splitplane/kit';
import type { KubeObject } from '@splitplane/scheme';
import type { Admission, AdmissionAttributes, AdmitResult } from './admission.js';

export class GrpcAdmission implements Admission {
  private readonly client: AdmissionClient;

  constructor(target: string) {
    this.client = dial(AdmissionClient, target);
  }

  async admit(attrs: AdmissionAttributes): Promise<AdmitResult> {
    const res = await this.invoke(this.client.admit, attrs);
    const object = res.object.length > 0 ? (JSON.parse(Buffer.from(res.object).toString('utf8')) as KubeObject) : undefined;
    return object ? { object, warnings: res.warnings } : { warnings: res.warnings };
  }

  async validate(attrs: AdmissionAttributes): Promise<{ warnings: string[] }> {
    const res = await this.invoke(this.client.validate, attrs);
    return { warnings: res.warnings };
  }

  close(): void {
    this.client.close();
  }

  private invoke(
    method: AdmissionClient['admit'],
    attrs: AdmissionAttributes,
  ): Promise<AdmissionResponse> {
    const { def } = attrs;
    const req: AdmissionRequest = {
      uid: randomUUID(),
      kind: { group: def.group, version: def.version, kind: def.kind },
      resource: { group: def.group, version: def.version, resource: def.plural },
      subresource: attrs.subresource,
      name: attrs.name,
      namespace: attrs.namespace,
      operation: attrs.operation,
      user: attrs.user,
      object: attrs.object ? Buffer.from(JSON.stringify(attrs.object)) : Buffer.alloc(0),
      oldObject: attrs.oldObject ? Buffer.from(JSON.stringify(attrs.oldObject)) : Buffer.alloc(0),
      dryRun: attrs.dryRun,
      options: attrs.options ? Buffer.from(JSON.stringify(attrs.options)) : Buffer.alloc(0),
    };
    return call(this.client, method as never, req, attrs.deadline ? { deadline: attrs.deadline } : {}, 'admission');
  }
}
