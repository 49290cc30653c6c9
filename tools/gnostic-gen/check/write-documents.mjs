// Writes <dir>/{gateway,synthetic}.{json,pb}: each document as JSON and as our
// protobuf encoding of it, for check/main.go to compare with gnostic's own compile.
// Run with services/gateway as the working directory (module resolution).
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: write-documents.mjs <dir>');
  process.exit(2);
}
const require = createRequire(join(process.cwd(), 'package.json'));
const load = (id) => import(pathToFileURL(require.resolve(id)).href);
const { encodeOpenApiV2Protobuf } = await load('@splitplane/k8s-openapi');
const { BUILTIN_RESOURCES, Scheme } = await load('@splitplane/scheme');
const { OpenApiDocuments } = await import(
  pathToFileURL(join(process.cwd(), 'dist/openapi/documents.js')).href
);

function write(name, doc) {
  writeFileSync(join(dir, `${name}.json`), JSON.stringify(doc));
  writeFileSync(join(dir, `${name}.pb`), encodeOpenApiV2Protobuf(doc));
}

const served = new OpenApiDocuments(new Scheme(BUILTIN_RESOURCES)).v2().body;
write('gateway', JSON.parse(served.toString('utf8')));
write('synthetic', (await import('./synthetic-document.mjs')).syntheticDocument());
