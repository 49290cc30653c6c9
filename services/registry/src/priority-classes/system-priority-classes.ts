// kube-apiserver's scheduling post-start hook: the system PriorityClasses exist in every
// cluster. Created at startup if absent; AlreadyExists (an earlier start, a racing
// replica) is success and an existing object is left as it is, as kube does.
import type { KubeObject } from '@splitplane/scheme';
import { StatusError } from '@splitplane/apimachinery';
import { systemAttributes } from '../namespace-controller/system-namespaces.js';
import { createObject } from '../store/create.js';
import type { Store } from '../store/store.js';
import { SYSTEM_PRIORITY_CLASSES } from '../strategies/scheduling/priority-class.js';

const GVR = { group: 'scheduling.k8s.io', version: 'v1', resource: 'priorityclasses' };

export async function ensureSystemPriorityClasses(store: Store): Promise<void> {
  for (const spc of SYSTEM_PRIORITY_CLASSES) {
    const ctx = store.context(systemAttributes(GVR, '', spc.name));
    const pc: KubeObject = {
      apiVersion: 'scheduling.k8s.io/v1',
      kind: 'PriorityClass',
      metadata: { name: spc.name },
      value: spc.value,
      globalDefault: spc.globalDefault,
      description: spc.description,
    };
    try {
      await createObject(store, ctx, pc, false);
    } catch (err) {
      if (err instanceof StatusError && err.reason === 'AlreadyExists') continue;
      throw err;
    }
  }
}
