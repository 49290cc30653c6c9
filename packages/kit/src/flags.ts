// kube-apiserver-style command-line flags (`--etcd-servers=...`, `--flag value`), declared
// once with their help text so `--help` and errors stay in step with the code.
import { parseArgs } from 'node:util';

export type FlagSpec =
  | { type: 'string'; default: string; help: string }
  | { type: 'boolean'; default: boolean; help: string }
  | { type: 'number'; default: number; help: string }
  | { type: 'list'; default: string[]; help: string };

type FlagValue<S extends FlagSpec> = S['default'];
export type Flags<T extends Record<string, FlagSpec>> = { [K in keyof T]: FlagValue<T[K]> };

export class FlagError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'FlagError';
  }
}

/** Parses argv against specs. List flags accept commas and repetition, as kube's do. */
export function parseFlags<T extends Record<string, FlagSpec>>(
  specs: T,
  argv: string[] = process.argv.slice(2),
): Flags<T> {
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }> = {};
  for (const [name, spec] of Object.entries(specs)) {
    options[name] =
      spec.type === 'boolean'
        ? { type: 'boolean' }
        : { type: 'string', multiple: spec.type === 'list' };
  }
  let values: Record<string, unknown>;
  try {
    // Accept "--flag=true|false" for booleans the way pflag does.
    const normalized = argv.map((arg) =>
      arg.replace(/^--([\w-]+)=(true|false)$/, (_m, n: string, v: string) =>
        specs[n]?.type === 'boolean' ? (v === 'true' ? `--${n}` : `--no-${n}`) : arg,
      ),
    );
    ({ values } = parseArgs({
      args: normalized,
      options,
      strict: true,
      allowPositionals: false,
      allowNegative: true,
    } as Parameters<typeof parseArgs>[0] & { allowNegative: boolean }));
  } catch (err) {
    throw new FlagError((err as Error).message, { cause: err });
  }
  const result: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const raw = values[name];
    if (raw === undefined) {
      result[name] = spec.default;
    } else if (spec.type === 'number') {
      const n = Number(raw);
      if (!Number.isFinite(n))
        throw new FlagError(`invalid value "${String(raw)}" for flag --${name}: not a number`);
      result[name] = n;
    } else if (spec.type === 'list') {
      result[name] = (raw as string[])
        .flatMap((v) => v.split(','))
        .map((v) => v.trim())
        .filter(Boolean);
    } else {
      result[name] = raw;
    }
  }
  return result as Flags<T>;
}

export function flagHelp(specs: Record<string, FlagSpec>): string {
  return Object.entries(specs)
    .map(
      ([name, spec]) =>
        `  --${name}${spec.type === 'boolean' ? '' : ` ${spec.type}`}\n      ${spec.help} (default ${JSON.stringify(spec.default)})`,
    )
    .join('\n');
}
