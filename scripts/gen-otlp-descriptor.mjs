// Regenerates src/server/otlp/otlp-descriptor.ts, the protobufjs JSON descriptor of the official OTLP
// trace protos vendored in src/server/otlp/proto (opentelemetry-proto v1.11.0, Apache-2.0).
// Usage: node scripts/gen-otlp-descriptor.mjs   (then commit the result; a unit test checks it is current)
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { otlpDescriptorSource, loadOtlpProtos } from './otlp-protos.mjs';

const out = fileURLToPath(new URL('../src/server/otlp/otlp-descriptor.ts', import.meta.url));
writeFileSync(out, otlpDescriptorSource(loadOtlpProtos()));
console.log(`wrote ${out}`);
