// Validators for metadata.name: the function every strategy hands to validateObjectMeta.
// `prefix` is true when validating generateName, whose trailing '-' is allowed.
import {
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isValidPathSegmentName,
} from './names.js';

export type NameValidator = (name: string, prefix: boolean) => string[];

/** A generateName may end in '-' (the suffix follows), so mask it before checking. */
function maskTrailingDash(name: string): string {
  return name.length > 1 && name.endsWith('-') ? `${name.slice(0, -2)}a` : name;
}

export const nameIsDNSSubdomain: NameValidator = (name, prefix) =>
  isDNS1123Subdomain(prefix ? maskTrailingDash(name) : name);

export const nameIsDNSLabel: NameValidator = (name, prefix) =>
  isDNS1123Label(prefix ? maskTrailingDash(name) : name);

export const nameIsDNS1035Label: NameValidator = (name, prefix) =>
  isDNS1035Label(prefix ? maskTrailingDash(name) : name);

/** Names only constrained to be usable as a URL path segment (RBAC roles, ...). */
export const validatePathSegmentName: NameValidator = (name, prefix) =>
  prefix
    ? isValidPathSegmentName(name).filter((m) => m.startsWith('may not contain'))
    : isValidPathSegmentName(name);

/** Namespace names are DNS-1123 labels. */
export const validateNamespaceName = nameIsDNSLabel;
