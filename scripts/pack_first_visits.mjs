// Packs each page group's WASM chunks into one file, so that a first visit downloads them as
// one brotli stream instead of one request per chunk.
//
// Why: `cargo leptos build --split` gives a page group its code in many chunks (37 for the API
// Tokens tab), each compressed on its own. Much of their code is alike (the framework's
// generic functions, instantiated for different types), and brotli finds that likeness only
// within one stream: the tab's chunks are 184 kB brotli'd one by one and 140 kB as one pack.
//
// What it does, after cargo-leptos has hashed and compressed the site (see docs/bundle.md):
// 1. For each split point of `__wasm_split_manifest.<hash>.json`, writes
//    `<group>.pack.<hash>.wasm` (and its .br and .gz copies): the magic `TPK1`, a little-endian
//    u32 header length, the header — JSON `[[file name, size], …]` — then the files' bytes in
//    order. `first_visit_packs.json` names each page group's pack: the server preloads it in
//    the `<head>` of the group's pages (app/src/first_visit.rs).
// 2. Prepends to the split loader (`__wasm_split.<hash>.js`) a `fetch` of its own. The loader
//    fetches a split point's chunks and its module in one go; the first time in a page's life
//    that a split point is loaded, its pack is fetched instead and answers every file it holds.
//    Later split points (another page reached in the browser) share chunks already loaded, so
//    they fetch just what they lack, one file each, as before; so does everything if the pack
//    cannot be had. The loader is renamed after its new content, and the two files that import
//    it by name and the hash file say so.
//
// Usage: node scripts/pack_first_visits.mjs SITE_PKG_DIR HASH_FILE
import { createHash } from "node:crypto";
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const [pkgDir, hashFile] = process.argv.slice(2);
if (!pkgDir || !hashFile) {
  console.error("usage: node scripts/pack_first_visits.mjs SITE_PKG_DIR HASH_FILE");
  process.exit(2);
}

/** Opens every pack; a loader that finds another (a later format) fetches file by file. */
const PACK_MAGIC = "TPK1";
/** Marks a split loader this script has already rewritten. */
const LOADER_MARKER = "// Chunks from first-visit packs";

/**
 * Shadows the global `fetch` inside the split loader module, whose only fetches are of WASM
 * files. Requests made in one task (a split point's chunks and module) are answered together.
 */
function loaderPreamble(packOfSplitModule) {
  return `${LOADER_MARKER} (scripts/pack_first_visits.mjs, docs/bundle.md).
const fetch = (() => {
    const fetchFromNetwork = globalThis.fetch.bind(globalThis);
    const packOfSplitModule = new Map(Object.entries(${JSON.stringify(packOfSplitModule)}));
    const unpack = (buffer) => {
        const magic = new TextDecoder().decode(new Uint8Array(buffer, 0, 4));
        if (magic !== ${JSON.stringify(PACK_MAGIC)}) throw new Error("not a pack: " + magic);
        const headerLength = new DataView(buffer).getUint32(4, true);
        const header = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, 8, headerLength)));
        const files = new Map();
        let offset = 8 + headerLength;
        for (const [name, size] of header) {
            files.set(name, new Uint8Array(buffer, offset, size));
            offset += size;
        }
        return files;
    };
    const fetchPack = (url) => fetchFromNetwork(url)
        .then((answer) => answer.ok ? answer.arrayBuffer() : Promise.reject(new Error("HTTP " + answer.status)))
        .then(unpack)
        .catch((problem) => {
            console.warn("a first-visit pack could not be read; its files come one by one", problem);
            return new Map();
        });
    // Were chunks preloaded by the page, fetching a pack too would download them twice.
    let packUsed = document.querySelector('link[rel="preload"][href*="/chunk_"]') !== null;
    const answerAll = async (requests) => {
        const split = packUsed ? undefined : requests.find((request) => packOfSplitModule.has(request.name));
        let files = new Map();
        if (split) {
            packUsed = true;
            files = await fetchPack(new URL(packOfSplitModule.get(split.name), import.meta.url));
        }
        for (const request of requests) {
            const bytes = files.get(request.name);
            request.resolve(bytes
                ? new Response(bytes, { headers: { "Content-Type": "application/wasm" } })
                : fetchFromNetwork(request.input, request.init));
        }
    };
    let batch = null;
    return (input, init) => new Promise((resolve) => {
        if (batch === null) {
            const requests = (batch = []);
            queueMicrotask(() => {
                batch = null;
                answerAll(requests);
            });
        }
        const name = new URL(String(input), document.baseURI).pathname.split("/").pop();
        batch.push({ input, init, name, resolve });
    });
})();
`;
}

/** The content hash cargo-leptos names files with: MD5, base64url without padding. */
function contentHash(bytes) {
  return createHash("md5").update(bytes).digest("base64url");
}

/** Writes a bundle file with the brotli and gzip copies the static-file handler serves. */
function writeWithCopies(path, bytes) {
  writeFileSync(path, bytes);
  writeFileSync(
    `${path}.br`,
    brotliCompressSync(bytes, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        // The largest window a browser decodes: a pack is larger than brotli's default.
        [constants.BROTLI_PARAM_LGWIN]: constants.BROTLI_MAX_WINDOW_BITS,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      },
    }),
  );
  writeFileSync(`${path}.gz`, gzipSync(bytes, { level: 9 }));
}

function removeWithCopies(path) {
  for (const suffix of ["", ".br", ".gz"]) rmSync(`${path}${suffix}`, { force: true });
}

function readHashFile() {
  const lines = readFileSync(hashFile, "utf8").split("\n").filter((line) => line.trim());
  return new Map(lines.map((line) => line.split(":").map((part) => part.trim())));
}

function writeHashFile(hashes) {
  writeFileSync(hashFile, [...hashes].map(([kind, hash]) => `${kind}: ${hash}\n`).join(""));
}

/** `bytes` cut at every occurrence of `separator`. */
function splitOn(bytes, separator) {
  const parts = [];
  let start = 0;
  for (let at = bytes.indexOf(separator); at !== -1; at = bytes.indexOf(separator, start)) {
    parts.push(bytes.subarray(start, at));
    start = at + separator.length;
  }
  parts.push(bytes.subarray(start));
  return parts;
}

function joinWith(parts, separator) {
  return parts.flatMap((part, i) => (i === 0 ? [part] : [separator, part]));
}

/** The pack of `files` (names in the pkg folder), in the format the loader unpacks. */
function pack(files) {
  const contents = files.map((name) => readFileSync(join(pkgDir, name)));
  const header = Buffer.from(JSON.stringify(files.map((name, i) => [name, contents[i].length])));
  const magicAndLength = Buffer.alloc(8);
  magicAndLength.write(PACK_MAGIC, 0, "ascii");
  magicAndLength.writeUInt32LE(header.length, 4);
  return Buffer.concat([magicAndLength, header, ...contents]);
}

const hashes = readHashFile();
const loaderName = `__wasm_split.${hashes.get("split")}.js`;
const manifestName = `__wasm_split_manifest.${hashes.get("manifest")}.json`;
// The bundle's output name (`name` in Cargo.toml's `[[workspace.metadata.leptos]]`).
const OUTPUT_NAME = "tessera";
const mainScriptName = `${OUTPUT_NAME}.${hashes.get("js")}.js`;
if (!hashes.get("split") || !existsSync(join(pkgDir, loaderName))) {
  console.log("pack_first_visits: not a split, hashed build; nothing to pack");
  process.exit(0);
}
const loader = readFileSync(join(pkgDir, loaderName), "utf8");
if (loader.startsWith(LOADER_MARKER)) {
  console.log("pack_first_visits: already packed");
  process.exit(0);
}

// 1. One pack per split point (cargo-leptos emptied the site folder before this build).
const manifest = JSON.parse(readFileSync(join(pkgDir, manifestName), "utf8"));
const packOfGroup = {};
const packOfSplitModule = {};
for (const [splitPoint, modules] of Object.entries(manifest)) {
  // Largest first: it compresses about 1 kB better than the manifest's order.
  const files = modules
    .map((module) => `${module}.wasm`)
    .sort((a, b) => statSync(join(pkgDir, b)).size - statSync(join(pkgDir, a)).size || a.localeCompare(b));
  const bytes = pack(files);
  // The split point's name is the lazy function's (the page group's) and a hash of its
  // signature; the pack's own hash is enough.
  const group = splitPoint.replace(/_\d+$/, "");
  const packFile = `${group}.pack.${contentHash(bytes)}.wasm`;
  writeWithCopies(join(pkgDir, packFile), bytes);
  packOfGroup[group] = packFile;
  // The split point's own module, which the loader fetches along with the chunks.
  const splitModule = files.find((file) => file.startsWith(`split_${splitPoint}.`));
  if (!splitModule) throw new Error(`the files of ${splitPoint} hold no module split_${splitPoint}.*`);
  packOfSplitModule[splitModule] = `./${packFile}`;
}
writeFileSync(join(pkgDir, "first_visit_packs.json"), JSON.stringify(packOfGroup, null, 2));

// 2. The split loader reads them. It is renamed after its new content, and the two files that
// import it by name — the main module's JS and the main WASM module — are rewritten in place
// to say so, as cargo-leptos does when it hashes the loader: both hashes are base64url MD5,
// 22 characters, so the WASM's import section keeps its length.
const newLoader = Buffer.from(loaderPreamble(packOfSplitModule) + loader);
const newLoaderName = `__wasm_split.${contentHash(newLoader)}.js`;
writeWithCopies(join(pkgDir, newLoaderName), newLoader);
removeWithCopies(join(pkgDir, loaderName));
for (const importer of [mainScriptName, `${OUTPUT_NAME}.${hashes.get("wasm")}.wasm`]) {
  const bytes = readFileSync(join(pkgDir, importer));
  const parts = splitOn(bytes, Buffer.from(loaderName));
  if (parts.length < 2) throw new Error(`${importer} does not import ${loaderName}`);
  writeWithCopies(join(pkgDir, importer), Buffer.concat(joinWith(parts, Buffer.from(newLoaderName))));
}
hashes.set("split", newLoaderName.slice("__wasm_split.".length, -".js".length));
writeHashFile(hashes);

console.log(`pack_first_visits: ${Object.keys(packOfGroup).length} packs; split loader ${newLoaderName}`);
