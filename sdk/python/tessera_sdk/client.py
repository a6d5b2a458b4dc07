"""`Tessera`: the generated client (`tessera_api`) configured from the environment, with
problems raised as `TesseraError`, the chat stream, paging, and byte uploads and downloads."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator
from typing import Any
from urllib.parse import quote

import httpx

from tessera_api import AuthenticatedClient
from tessera_api.models import (
    ChatProblem,
    ChatRequest,
    Citation,
    MessageCompleted,
    MessageCreated,
    StoredFile,
    TextDelta,
)
from tessera_api.types import UNSET

from .errors import TesseraError
from .token import Secret, check_token

DEFAULT_BASE_URL = "http://127.0.0.1:3000"

#: One event of an answer, by its SSE name: `message.created`, one `citation` per source,
#: `text.delta`s, `message.completed`; `error` (a problem) when something fails on the way.
ChatEvent = MessageCreated | Citation | TextDelta | MessageCompleted | ChatProblem
CHAT_EVENTS: dict[str, Any] = {
    "message.created": MessageCreated,
    "citation": Citation,
    "text.delta": TextDelta,
    "message.completed": MessageCompleted,
    "error": ChatProblem,
}


def _with_problem_hook(httpx_args: dict[str, Any]) -> dict[str, Any]:
    hooks = dict(httpx_args.get("event_hooks") or {})
    hooks["response"] = [*hooks.get("response", []), _raise_for_problem]
    return {**httpx_args, "event_hooks": hooks}


def _raise_for_problem(response: httpx.Response) -> None:
    if response.is_success:
        return
    response.read()
    raise TesseraError.from_response(response)


class Tessera:
    """A client for the Tessera REST API.

    The token comes from `api_token` or else `TESSERA_API_TOKEN`, and is checked (shape and
    checksum) here, before any request; the server from `base_url`, else `TESSERA_API_URL`,
    else http://127.0.0.1:3000; `httpx_args` go to the httpx client (a transport, a proxy…). Pass `tessera.client` to the generated functions
    (`tessera_api.api.<tag>.<operation>.sync(client=tessera.client, …)`): any answer that is
    not 2xx raises `TesseraError`, so what they return is the success model.
    """

    def __init__(
        self,
        api_token: str | None = None,
        base_url: str | None = None,
        *,
        timeout: float = 30.0,
        httpx_args: dict[str, Any] | None = None,
    ) -> None:
        token = check_token(api_token if api_token is not None else os.environ.get("TESSERA_API_TOKEN"))
        self.base_url = (base_url or os.environ.get("TESSERA_API_URL") or DEFAULT_BASE_URL).rstrip("/")
        self.client = AuthenticatedClient(
            base_url=self.base_url,
            token=Secret(token),
            timeout=httpx.Timeout(timeout),
            raise_on_unexpected_status=True,
            httpx_args=_with_problem_hook(httpx_args or {}),
        )

    def __repr__(self) -> str:
        return f"Tessera(base_url={self.base_url!r})"

    def __enter__(self) -> Tessera:
        return self

    def __exit__(self, *args: object) -> None:
        self.close()

    def close(self) -> None:
        self.client.get_httpx_client().close()

    @property
    def http(self) -> httpx.Client:
        """The underlying httpx client: the base URL, the token and the problem hook set."""
        return self.client.get_httpx_client()

    def paginate(self, operation: Any, *, page_size: int = 100, **params: Any) -> Iterator[Any]:
        """Every item of a list endpoint, page after page as the loop goes on. `operation` is a
        generated list module (`tessera_api.api.tokens.tokens_list`) or its `sync`; `params`
        are its filters (`search=…`, `id=…` for an agent's executions)."""
        fetch: Callable[..., Any] = getattr(operation, "sync", operation)
        offset = 0
        while True:
            page = fetch(client=self.client, limit=page_size, offset=offset, **params)
            yield from page.items
            offset += len(page.items)
            if not page.items or offset >= page.total:
                return

    def chat(self, message: str, conversation_id: str | None = None) -> Iterator[ChatEvent]:
        """Asks the assistant; yields the answer's events (models of `tessera_api.models`) as
        the server sends them. A refusal before the stream starts raises `TesseraError`; a
        failure during it is a `ChatProblem` event. Unknown events are skipped."""
        request = ChatRequest(message=message, conversation_id=conversation_id if conversation_id else UNSET)
        with self.http.stream(
            "POST",
            "/api/assistant/chat",
            json=request.to_dict(),
            headers={"Accept": "text/event-stream"},
        ) as response:
            for name, data in read_server_sent_events(response.iter_lines()):
                model = CHAT_EVENTS.get(name)
                if model is not None:
                    yield model.from_dict(json.loads(data))

    def upload(self, name: str, data: bytes, content_type: str = "application/octet-stream") -> StoredFile:
        """Stores bytes under a file name (`PUT /api/knowledge-base/storage/{file}`)."""
        response = self.http.put(
            f"/api/knowledge-base/storage/{quote(name, safe='')}",
            content=data,
            headers={"Content-Type": content_type},
        )
        return StoredFile.from_dict(response.json())

    def download(self, file_id: str) -> bytes:
        """A stored file's bytes."""
        return self.http.get(f"/api/knowledge-base/storage/{quote(file_id, safe='')}").content


def read_server_sent_events(lines: Iterable[str]) -> Iterator[tuple[str, str]]:
    """(event name, data) of each event in `text/event-stream` lines (WHATWG format);
    comments (keep-alives), `id:` and `retry:` are skipped."""
    event, data = "", []
    for line in _with_end(lines):
        if line == "":
            if data:
                yield event or "message", "\n".join(data)
            event, data = "", []
            continue
        if line.startswith(":"):
            continue
        field, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if field == "event":
            event = value
        elif field == "data":
            data.append(value)


def _with_end(lines: Iterable[str]) -> Iterator[str]:
    # A stream that ends without a blank line still delivers its last event.
    yield from lines
    yield ""
