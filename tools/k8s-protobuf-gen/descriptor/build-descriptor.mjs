// Builds the protobufjs JSON descriptor for every Kubernetes generated.proto.
//
// Usage: node build-descriptor.mjs <out.json> <importPrefix=moduleDir>...
// Each mapping says where the files of one Go module live (the module cache),
// e.g. k8s.io/api=/root/go/pkg/mod/k8s.io/api@v0.32.4. The proto files import each
// other by Go import path, so the mapping doubles as the include path.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import protobuf from 'protobufjs';
import { writeDescriptor } from '../../lib/descriptor-json.mjs';

const [out, ...mappings] = process.argv.slice(2);
if (!out || mappings.length === 0) {
  console.error('usage: build-descriptor.mjs <out.json> <importPrefix=dir>...');
  process.exit(2);
}
const modules = mappings.map((m) => {
  const eq = m.indexOf('=');
  return { prefix: m.slice(0, eq), dir: m.slice(eq + 1) };
});

// Test-only API groups are not part of any served API.
const skip = [/\/testapigroup\//, /\/testdata\//];

function findProtos(dir) {
  const found = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...findProtos(path));
    else if (name === 'generated.proto') found.push(path);
  }
  return found;
}

const files = [];
for (const { prefix, dir } of modules) {
  for (const path of findProtos(dir)) {
    const importPath = `${prefix}/${relative(dir, path)}`;
    if (!skip.some((re) => re.test(importPath))) files.push(importPath);
  }
}
files.sort();

const root = new protobuf.Root();
root.resolvePath = (_origin, target) => {
  const mod = modules.find((m) => target.startsWith(`${m.prefix}/`));
  if (!mod) throw new Error(`no module for import ${target}`);
  return join(mod.dir, target.slice(mod.prefix.length + 1));
};
root.loadSync(files, { keepCase: true, alternateCommentMode: false });
root.resolveAll();

writeDescriptor(root, out);
console.error(`descriptor: ${files.length} files -> ${out}`);
