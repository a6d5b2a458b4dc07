"""The token format (SPEC §2), checked before any request so a mistyped or cut token fails
here with a clear message instead of as a 401. No message ever contains the token."""

import re
import zlib

BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_SHAPE = re.compile(r"tsr_[0-9A-Za-z]{50}")
# `tsr_` + key id (12) + secret (32): the characters the checksum covers.
_BODY_LENGTH = 48


class TesseraTokenError(ValueError):
    """The API token is missing or malformed. Its message never contains the token."""


def token_checksum(body: str) -> str:
    """The checksum of a token's first 48 characters: CRC-32 (zlib's) as six big-endian
    base62 digits."""
    value = zlib.crc32(body.encode("ascii"))
    digits = []
    for _ in range(6):
        value, digit = divmod(value, 62)
        digits.append(BASE62[digit])
    return "".join(reversed(digits))


def check_token(token: object) -> str:
    """Returns the token without surrounding whitespace, or raises `TesseraTokenError` when it
    is missing, not `tsr_` + 50 base62 characters, or its checksum does not match."""
    if token is None or token == "":
        raise TesseraTokenError("No Tessera API token: pass api_token to Tessera() or set TESSERA_API_TOKEN.")
    if not isinstance(token, str):
        raise TesseraTokenError("The Tessera API token must be a string.")
    token = token.strip()
    if not _SHAPE.fullmatch(token):
        start = "starts with `tsr_` but" if token.startswith("tsr_") else "does not start with `tsr_` and"
        raise TesseraTokenError(
            f"The Tessera API token is malformed: it {start} has {len(token)} characters; "
            "a token is `tsr_` followed by 50 letters and digits (54 characters)."
        )
    if token_checksum(token[:_BODY_LENGTH]) != token[_BODY_LENGTH:]:
        raise TesseraTokenError(
            "The Tessera API token's checksum does not match: it was probably mistyped or "
            "altered. Copy it again from where it was created."
        )
    return token


class Secret(str):
    """A token as the generated client holds it: its value in requests, redacted in reprs
    (the client is an attrs class whose repr would show every field)."""

    def __repr__(self) -> str:
        return "'tsr_…'"
