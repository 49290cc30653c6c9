// Writes the protobufjs JSON descriptor of gnostic's OpenAPIv2.proto.
//
// Usage: node build-descriptor.mjs <OpenAPIv2.proto> <out.json>
// google.protobuf.Any (imported by the .proto) comes from protobufjs' bundled
// well-known types. Options and comments are dropped: the encoder only needs
// names, numbers and types. Output is deterministic (protobufjs keeps the
// declaration order of the .proto).
import protobuf from 'protobufjs';
import { writeDescriptor } from '../lib/descriptor-json.mjs';

const [protoPath, out] = process.argv.slice(2);
if (!protoPath || !out) {
  console.error('usage: build-descriptor.mjs <OpenAPIv2.proto> <out.json>');
  process.exit(2);
}

const root = new protobuf.Root();
root.loadSync(protoPath, { keepCase: true, alternateCommentMode: false });
root.resolveAll();

writeDescriptor(root, out);
console.error(`descriptor: ${protoPath} -> ${out}`);
