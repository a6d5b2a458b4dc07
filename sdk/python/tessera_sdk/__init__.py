"""The Tessera Python SDK: `Tessera` over the client generated from the server's OpenAPI
document (`tessera_api`), with the token check, `TesseraError` and the chat stream."""

from .client import CHAT_EVENTS, DEFAULT_BASE_URL, ChatEvent, Tessera, read_server_sent_events
from .errors import TesseraError
from .token import TesseraTokenError, check_token, token_checksum

__all__ = [
    "CHAT_EVENTS",
    "DEFAULT_BASE_URL",
    "ChatEvent",
    "Tessera",
    "TesseraError",
    "TesseraTokenError",
    "check_token",
    "read_server_sent_events",
    "token_checksum",
]
