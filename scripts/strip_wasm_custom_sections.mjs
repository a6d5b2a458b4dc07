// Removes every custom section (function names, `producers`, `target_features`) from the WASM
// files given, in place. A browser never reads them; the split bundle's small chunks, which
// scripts/bin/wasm-opt does not hand to binaryen, otherwise keep the splitter's function names:
// 12–18 KiB gzip of every page's first visit.
//
// Usage: node scripts/strip_wasm_custom_sections.mjs FILE.wasm...
import { readFileSync, writeFileSync } from "node:fs";

const CUSTOM_SECTION_ID = 0;
const HEADER_BYTES = 8; // "\0asm" and the version

function readUnsignedLeb128(bytes, offset) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[offset++];
    if (byte === undefined) throw new Error("truncated LEB128");
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (byte < 0x80) return { value, next: offset };
  }
}

function withoutCustomSections(bytes) {
  if (bytes.length < HEADER_BYTES || bytes.readUInt32LE(0) !== 0x6d736100) {
    throw new Error("not a WASM module");
  }
  const kept = [bytes.subarray(0, HEADER_BYTES)];
  let offset = HEADER_BYTES;
  while (offset < bytes.length) {
    const start = offset;
    const id = bytes[offset];
    const size = readUnsignedLeb128(bytes, offset + 1);
    const end = size.next + size.value;
    if (end > bytes.length) throw new Error(`section ${id} at ${start} runs past the end`);
    if (id !== CUSTOM_SECTION_ID) kept.push(bytes.subarray(start, end));
    offset = end;
  }
  return Buffer.concat(kept);
}

for (const file of process.argv.slice(2)) {
  const stripped = withoutCustomSections(readFileSync(file));
  writeFileSync(file, stripped);
}
