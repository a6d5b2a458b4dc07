// The token format (SPEC §2), checked before any request so a mistyped or cut token fails here
// with a clear message instead of as a 401. No message ever contains the token.

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const SHAPE = /^tsr_[0-9A-Za-z]{50}$/;
/** `tsr_` + key id (12) + secret (32): the characters the checksum covers. */
const BODY_LENGTH = 48;

/** The API token is missing or malformed. Its message never contains the token. */
export class TesseraTokenError extends Error {
  override name = "TesseraTokenError";
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (IEEE, as in zlib) of an ASCII string. */
function crc32(text: string): number {
  let crc = 0xffffffff;
  for (let i = 0; i < text.length; i++) {
    crc = CRC_TABLE[(crc ^ text.charCodeAt(i)) & 0xff]! ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** The checksum of a token's first 48 characters: big-endian base62, six digits. */
export function tokenChecksum(body: string): string {
  let value = crc32(body);
  let digits = "";
  for (let i = 0; i < 6; i++) {
    digits = BASE62[value % 62] + digits;
    value = Math.floor(value / 62);
  }
  return digits;
}

/**
 * Returns the token without surrounding whitespace, or throws `TesseraTokenError` when it is
 * missing, not `tsr_` + 50 base62 characters, or its checksum does not match.
 */
export function checkToken(token: unknown): string {
  if (token === undefined || token === null || token === "") {
    throw new TesseraTokenError(
      "No Tessera API token: pass `apiToken` to createClient or set TESSERA_API_TOKEN.",
    );
  }
  if (typeof token !== "string") {
    throw new TesseraTokenError("The Tessera API token must be a string.");
  }
  const trimmed = token.trim();
  if (!SHAPE.test(trimmed)) {
    const start = trimmed.startsWith("tsr_") ? "starts with `tsr_` but" : "does not start with `tsr_` and";
    throw new TesseraTokenError(
      `The Tessera API token is malformed: it ${start} has ${trimmed.length} characters; ` +
        "a token is `tsr_` followed by 50 letters and digits (54 characters).",
    );
  }
  const body = trimmed.slice(0, BODY_LENGTH);
  if (tokenChecksum(body) !== trimmed.slice(BODY_LENGTH)) {
    throw new TesseraTokenError(
      "The Tessera API token's checksum does not match: it was probably mistyped or altered. " +
        "Copy it again from where it was created.",
    );
  }
  return trimmed;
}
