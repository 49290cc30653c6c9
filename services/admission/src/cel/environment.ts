// The CEL environment admission expressions compile in: kube's variable names, all typed dyn
// (objects are schemaless JSON here), plus the Kubernetes libraries.
import { Environment, type Limits } from '@marcbachmann/cel-js';
import { registerAuthzLibrary } from './lib/authz.js';
import { registerFormatLibrary } from './lib/formats.js';
import { registerIpLibrary } from './lib/ip.js';
import { registerNamespacedLibraries } from './lib/namespaces.js';
import { registerSemverLibrary } from './lib/semver.js';
import { registerListsLibrary } from './lib/lists.js';
import { registerQuantityLibrary } from './lib/quantity.js';
import { registerRegexLibrary } from './lib/regex.js';
import { registerStringsLibrary } from './lib/strings.js';
import { registerUrlLibrary } from './lib/url.js';

/** The variables ValidatingAdmissionPolicy expressions may reference. */
export const ADMISSION_VARIABLES = [
  'object',
  'oldObject',
  'request',
  'params',
  'namespaceObject',
  'variables',
  'authorizer',
] as const;
export type AdmissionVariable = (typeof ADMISSION_VARIABLES)[number];

export const DEFAULT_LIMITS: Limits = {
  maxAstNodes: 10_000,
  maxDepth: 100,
  maxListElements: 1_000,
  maxMapEntries: 1_000,
  maxCallArguments: 32,
};

export function newAdmissionEnvironment(
  variables: readonly string[] = ADMISSION_VARIABLES,
  limits: Limits = DEFAULT_LIMITS,
): Environment {
  let env = new Environment({
    unlistedVariablesAreDyn: false,
    homogeneousAggregateLiterals: false,
    enableOptionalTypes: true,
    limits,
  });
  for (const name of variables) env = env.registerVariable(name, 'dyn');
  env = registerStringsLibrary(env);
  env = registerListsLibrary(env);
  env = registerRegexLibrary(env);
  env = registerQuantityLibrary(env);
  env = registerUrlLibrary(env);
  env = registerIpLibrary(env);
  env = registerFormatLibrary(env);
  env = registerSemverLibrary(env);
  env = registerNamespacedLibraries(env);
  env = registerAuthzLibrary(env);
  return env;
}
