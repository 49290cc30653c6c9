// The protobuf form of /openapi/v2: gnostic's openapi.v2.Document, which client-go and
// kubectl ask for first. kube-apiserver derives it by compiling its JSON document with
// gnostic; this maps our swagger JSON onto the same messages the same way, driven by the
// descriptor in generated/gnostic-openapiv2.json (written by tools/gnostic-gen).
import { readFileSync } from 'node:fs';
import protobuf from 'protobufjs';
import { gnosticYaml } from './gnostic-yaml.js';
import type { SwaggerDocument } from './openapi-v2.js';

const DESCRIPTOR_URL = new URL('../generated/gnostic-openapiv2.json', import.meta.url);
const PACKAGE = 'openapi.v2';

let root: protobuf.Root | undefined;

/** The openapi.v2 message types (loaded once). */
export function gnosticV2Root(): protobuf.Root {
  root ??= protobuf.Root.fromJSON(JSON.parse(readFileSync(DESCRIPTOR_URL, 'utf8')));
  return root;
}

const typeOf = (name: string): protobuf.Type => gnosticV2Root().lookupType(`${PACKAGE}.${name}`);

type Obj = Readonly<Record<string, unknown>>;
type Msg = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Encodes the swagger 2.0 document as gnostic's openapi.v2.Document message. */
export function encodeOpenApiV2Protobuf(doc: SwaggerDocument): Uint8Array {
  const type = typeOf('Document');
  return type.encode(type.fromObject(gnosticV2Message('Document', doc))).finish();
}

/**
 * The plain (protobufjs fromObject) form of `json` as message `typeName`, e.g. "Schema".
 * Exposed for tests and for encoding parts of a document.
 */
export function gnosticV2Message(typeName: string, json: unknown): Msg {
  return message(typeName, json) ?? {};
}

const fieldName = (key: string): string =>
  key === '$ref' ? '_ref' : key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

const namedAny = (name: string, value: unknown): Msg => ({ name, value: anyOf(value) });
const anyOf = (value: unknown): Msg => ({ yaml: gnosticYaml(value) });

const RESPONSE_CODE = /^([0-9]{3})$|^(default)$/;

const NON_BODY_IN: Readonly<Record<string, string>> = {
  header: 'header_parameter_sub_schema',
  formData: 'form_data_parameter_sub_schema',
  query: 'query_parameter_sub_schema',
  path: 'path_parameter_sub_schema',
};

const OAUTH2_FLOW: Readonly<Record<string, string>> = {
  implicit: 'oauth2_implicit_security',
  password: 'oauth2_password_security',
  application: 'oauth2_application_security',
  accessCode: 'oauth2_access_code_security',
};

// Messages gnostic does not compile field-by-field: unions it resolves by content,
// scalar-or-list values, and maps with typed keys.
const SPECIAL: Readonly<Record<string, (v: unknown) => Msg | undefined>> = {
  Any: anyOf,
  TypeItem: (v) => {
    if (typeof v === 'string') return { value: [v] };
    if (Array.isArray(v)) return { value: v.filter((s) => typeof s === 'string') };
    return undefined;
  },
  ItemsItem: (v) => (isObj(v) ? { schema: [message('Schema', v)] } : undefined),
  AdditionalPropertiesItem: (v) => {
    if (typeof v === 'boolean') return { boolean: v };
    return isObj(v) ? { schema: message('Schema', v) } : undefined;
  },
  StringArray: (v) => ({ value: Array.isArray(v) ? v.map(scalarString) : [] }),
  Paths: (v) => {
    if (!isObj(v)) return undefined;
    const entries = Object.entries(v);
    return {
      vendor_extension: entries.filter(([k]) => k.startsWith('x-')).map(([k, x]) => namedAny(k, x)),
      path: entries
        .filter(([k]) => k.startsWith('/'))
        .map(([name, item]) => ({ name, value: message('PathItem', item) })),
    };
  },
  Responses: (v) => {
    if (!isObj(v)) return undefined;
    const entries = Object.entries(v);
    return {
      response_code: entries
        .filter(([k]) => RESPONSE_CODE.test(k))
        .map(([name, r]) => ({ name, value: message('ResponseValue', r) })),
      vendor_extension: entries.filter(([k]) => k.startsWith('x-')).map(([k, x]) => namedAny(k, x)),
    };
  },
  Parameter: (v) => {
    if (!isObj(v)) return undefined;
    if (v.in === 'body') return { body_parameter: message('BodyParameter', v) };
    const kind = NON_BODY_IN[String(v.in)];
    if (!kind) return undefined;
    const sub = `${kind.replace(/(^|_)([a-z0-9])/g, (_m, _s, c: string) => c.toUpperCase())}`;
    return { non_body_parameter: { [kind]: message(sub, v) } };
  },
  ParametersItem: (v) =>
    isObj(v) && '$ref' in v
      ? { json_reference: message('JsonReference', v) }
      : { parameter: message('Parameter', v) },
  ResponseValue: (v) =>
    isObj(v) && '$ref' in v
      ? { json_reference: message('JsonReference', v) }
      : { response: message('Response', v) },
  SchemaItem: (v) =>
    isObj(v) && v.type === 'file'
      ? { file_schema: message('FileSchema', v) }
      : { schema: message('Schema', v) },
  SecurityDefinitionsItem: (v) => {
    if (!isObj(v)) return undefined;
    if (v.type === 'basic') {
      return { basic_authentication_security: message('BasicAuthenticationSecurity', v) };
    }
    if (v.type === 'apiKey') return { api_key_security: message('ApiKeySecurity', v) };
    const kind = OAUTH2_FLOW[String(v.flow)];
    if (v.type !== 'oauth2' || !kind) return undefined;
    const sub = `Oauth2${String(v.flow)[0]!.toUpperCase()}${String(v.flow).slice(1)}Security`;
    return { [kind]: message(sub, v) };
  },
};

function scalarString(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return '';
}

function message(typeName: string, json: unknown): Msg | undefined {
  const special = SPECIAL[typeName];
  if (special) return special(json);
  if (!isObj(json)) return undefined;
  const type = typeOf(typeName);
  const named = namedMapValueType(type);
  if (named) {
    return {
      additional_properties: Object.entries(json).map(([name, v]) => ({
        name,
        value: fieldValue(named, v),
      })),
    };
  }
  const msg: Msg = {};
  const extensions: Msg[] = [];
  for (const [key, value] of Object.entries(json)) {
    if (key.startsWith('x-')) {
      extensions.push(namedAny(key, value));
      continue;
    }
    const field = type.fields[fieldName(key)];
    if (!field) continue;
    const converted = field.repeated
      ? Array.isArray(value)
        ? value.map((item) => fieldValue(field.type, item) ?? {})
        : undefined
      : fieldValue(field.type, value);
    if (converted !== undefined) msg[field.name] = converted;
  }
  if (extensions.length > 0 && type.fields.vendor_extension) msg.vendor_extension = extensions;
  return msg;
}

/** For map-like messages (one repeated `additional_properties` of NamedX): X's value type. */
function namedMapValueType(type: protobuf.Type): string | undefined {
  const fields = type.fieldsArray;
  if (fields.length !== 1 || fields[0]!.name !== 'additional_properties') return undefined;
  return typeOf(fields[0]!.type).fields.value?.type;
}

function fieldValue(typeName: string, value: unknown): unknown {
  switch (typeName) {
    case 'string':
      return typeof value === 'object' && value !== null ? undefined : scalarString(value);
    case 'bool':
      return typeof value === 'boolean' ? value : undefined;
    case 'double':
      return typeof value === 'number' ? value : undefined;
    case 'int64':
      return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
    default:
      return message(typeName, value);
  }
}
