import type { Verb } from './resource-definition.js';

export const ALL_VERBS: Verb[] = [
  'create',
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'update',
  'watch',
];

/** Namespaces cannot be deleted as a collection, as in kube. */
export const NO_COLLECTION_VERBS: Verb[] = ALL_VERBS.filter((v) => v !== 'deletecollection');
