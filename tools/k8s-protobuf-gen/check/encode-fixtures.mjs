// Encodes every fixture JSON with the TypeScript codec into <dir>/<name>.ts.pb,
// next to a copy of Go's <name>.pb, for `fixtures check` to compare in Go.
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeObject } from '../../../packages/k8s-protobuf/dist/index.js';

const [fixtures, out] = process.argv.slice(2);
for (const file of readdirSync(fixtures).filter((f) => f.endsWith('.json'))) {
  const name = file.slice(0, -'.json'.length);
  const json = JSON.parse(readFileSync(join(fixtures, file), 'utf8'));
  writeFileSync(join(out, `${name}.ts.pb`), encodeObject(json));
  copyFileSync(join(fixtures, `${name}.pb`), join(out, `${name}.pb`));
}
