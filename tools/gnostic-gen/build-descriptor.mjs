// Writes the protobufjs JSON descriptor of gnostic's OpenAPIv2.proto.
//
// Usage: node build-descriptor.mjs <OpenAPIv2.proto> <out.json>
// google.protobuf.Any (imported by the .proto) comes from protobufjs' bundled
// well-known types. Options and comments are dropped: the encoder only needs
// names, numbers and types. Output is deterministic (protobufjs keeps the
// declaration order of the .proto).
import { writeFileSync } from 'node:fs';
import protobuf from 'protobufjs';

const [protoPath, out] = process.argv.slice(2);
if (!protoPath || !out) {
  console.error('usage: build-descriptor.mjs <OpenAPIv2.proto> <out.json>');
  process.exit(2);
}

const root = new protobuf.Root();
root.loadSync(protoPath, { keepCase: true, alternateCommentMode: false });
root.resolveAll();

// Keys of `nested` and `fields` are names, so those maps are walked without filtering.
function strip(node) {
  if (node === null || typeof node !== 'object') return node;
  if (Array.isArray(node)) return node.map(strip);
  const outNode = {};
  for (const key of Object.keys(node)) {
    if (key === 'options' || key === 'comment') continue;
    outNode[key] = key === 'nested' || key === 'fields' ? stripNames(node[key]) : strip(node[key]);
  }
  return outNode;
}

function stripNames(names) {
  const outNames = {};
  for (const name of Object.keys(names)) outNames[name] = strip(names[name]);
  return outNames;
}

const json = strip(root.toJSON({ keepComments: false }));
writeFileSync(out, `${JSON.stringify(json)}\n`);
console.error(`descriptor: ${protoPath} -> ${out}`);
