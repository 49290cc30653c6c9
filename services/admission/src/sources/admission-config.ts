// --admission-control-config-file: kube's AdmissionConfiguration (apiserver.config.k8s.io/v1),
// each plugin's configuration inline (`configuration`) or in its own file (`path`, relative
// to the configuration file's directory).
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse } from 'yaml';

const ADMISSION_CONFIG_VERSIONS = new Set([
  'apiserver.config.k8s.io/v1',
  'apiserver.config.k8s.io/v1alpha1',
  'apiserver.k8s.io/v1alpha1',
]);

export class AdmissionConfigError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'AdmissionConfigError';
  }
}

/** Plugin configurations by plugin name. */
export type PluginConfigs = ReadonlyMap<string, unknown>;

interface PluginEntry {
  name?: unknown;
  path?: unknown;
  configuration?: unknown;
}

/** Parses an AdmissionConfiguration document already read from `file`. */
export async function parseAdmissionConfiguration(
  text: string,
  file: string,
): Promise<PluginConfigs> {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new AdmissionConfigError(
      `unable to read admission control configuration from "${file}"`,
      {
        cause: err,
      },
    );
  }
  const configs = new Map<string, unknown>();
  if (doc === null || doc === undefined) return configs;
  if (typeof doc !== 'object' || Array.isArray(doc))
    throw new AdmissionConfigError(`admission control configuration "${file}" is not an object`);
  const { apiVersion, kind, plugins } = doc as Record<string, unknown>;
  if (kind !== 'AdmissionConfiguration' || !ADMISSION_CONFIG_VERSIONS.has(String(apiVersion)))
    throw new AdmissionConfigError(
      `admission control configuration "${file}": no kind "${String(kind)}" is registered for version "${String(apiVersion)}"`,
    );
  if (plugins === undefined || plugins === null) return configs;
  if (!Array.isArray(plugins))
    throw new AdmissionConfigError(
      `admission control configuration "${file}": plugins is not a list`,
    );
  for (const raw of plugins as PluginEntry[]) {
    const name = typeof raw?.name === 'string' ? raw.name : '';
    if (!name)
      throw new AdmissionConfigError(
        `admission control configuration "${file}": a plugin has no name`,
      );
    if (raw.configuration !== undefined && raw.configuration !== null) {
      configs.set(name, raw.configuration);
    } else if (typeof raw.path === 'string' && raw.path) {
      const path = isAbsolute(raw.path) ? raw.path : resolve(dirname(file), raw.path);
      let content: string;
      try {
        content = await readFile(path, 'utf8');
      } catch (err) {
        throw new AdmissionConfigError(`couldn't open admission plugin configuration ${path}`, {
          cause: err,
        });
      }
      try {
        configs.set(name, parse(content) as unknown);
      } catch (err) {
        throw new AdmissionConfigError(`unable to parse admission plugin configuration ${path}`, {
          cause: err,
        });
      }
    }
  }
  return configs;
}

/** Reads the file; an empty path means no configuration. */
export async function readAdmissionConfiguration(file: string): Promise<PluginConfigs> {
  if (!file) return new Map();
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new AdmissionConfigError(
      `unable to read admission control configuration from "${file}"`,
      {
        cause: err,
      },
    );
  }
  return parseAdmissionConfiguration(text, file);
}
