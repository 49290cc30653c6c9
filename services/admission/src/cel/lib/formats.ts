// Kubernetes CEL format library (k8s.io/apiserver/pkg/cel/library/format.go):
// format.<name>().validate(s) is optional.none() when valid, else optional.of(errors);
// format.named(name) looks one up. `format` is bound as a constant library object so the
// namespaced call syntax works with cel-js.
import {
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
} from '@splitplane/apimachinery';
import { type Environment, Optional } from '@marcbachmann/cel-js';

export class NamedFormat {
  constructor(
    readonly name: string,
    readonly check: (s: string) => string[],
  ) {}
}

class FormatLibrary {}

// generateName prefixes may end in '-': kube masks a trailing dash before validating.
const prefix = (f: (s: string) => string[]) => (s: string) =>
  f(s.endsWith('-') ? `${s.slice(0, -1)}a` : s);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const one = (ok: boolean, msg: string) => (ok ? [] : [msg]);

const FORMATS: Record<string, (s: string) => string[]> = {
  dns1123Label: isDNS1123Label,
  dns1123Subdomain: isDNS1123Subdomain,
  dns1035Label: isDNS1035Label,
  qualifiedName: isQualifiedName,
  dns1123LabelPrefix: prefix(isDNS1123Label),
  dns1123SubdomainPrefix: prefix(isDNS1123Subdomain),
  dns1035LabelPrefix: prefix(isDNS1035Label),
  labelValue: isValidLabelValue,
  uri: (s) => one(URL.canParse(s) || s.startsWith('/'), 'invalid URI'),
  uuid: (s) => one(UUID.test(s), 'does not match the UUID format'),
  byte: (s) => one(BASE64.test(s), 'invalid base64'),
  date: (s) => one(DATE.test(s) && !Number.isNaN(Date.parse(s)), 'invalid date'),
  datetime: (s) => one(DATETIME.test(s) && !Number.isNaN(Date.parse(s)), 'invalid datetime'),
};

export function registerFormatLibrary(env: Environment): Environment {
  let e = env
    .registerType('kubernetes.NamedFormat', NamedFormat)
    .registerType('kubernetes.FormatLibrary', FormatLibrary)
    .registerConstant('format', 'kubernetes.FormatLibrary', new FormatLibrary())
    .registerFunction(
      'kubernetes.FormatLibrary.named(string): optional<kubernetes.NamedFormat>',
      (_l: FormatLibrary, name: string) => {
        const f = FORMATS[name];
        return f ? Optional.of(new NamedFormat(name, f)) : Optional.none();
      },
    )
    .registerFunction(
      'kubernetes.NamedFormat.validate(string): optional<list<string>>',
      (f: NamedFormat, s: string) => {
        const errs = f.check(s);
        return errs.length ? Optional.of(errs) : Optional.none();
      },
    );
  for (const [name, check] of Object.entries(FORMATS)) {
    const format = new NamedFormat(name, check);
    e = e.registerFunction(
      `kubernetes.FormatLibrary.${name}(): kubernetes.NamedFormat`,
      () => format,
    );
  }
  return e;
}
