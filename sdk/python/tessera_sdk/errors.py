"""Every answer that is not 2xx becomes a raised `TesseraError`, read from its problem+json
body (RFC 9457) when it has one."""

from __future__ import annotations

import email.utils
import json
import time

import httpx


class TesseraError(Exception):
    """A refused or failed request: the server's problem answer, field by field."""

    def __init__(
        self,
        *,
        status: int,
        type: str,
        title: str,
        detail: str,
        required: str | None = None,
        errors: dict[str, list[str]] | None = None,
        retry_after: int | None = None,
    ) -> None:
        message = f"{title} ({status}): {detail}"
        if required:
            message += f" [requires {required}]"
        super().__init__(message)
        self.status = status
        #: A stable URI naming the kind of problem, e.g. `https://tessera.dev/problems/not-found`.
        self.type = type
        self.title = title
        self.detail = detail
        #: For `insufficient-scope` refusals: the permission that was needed (`agents:write`).
        self.required = required
        #: For validation problems: field name → messages.
        self.errors = errors
        #: Seconds to wait before trying again (`Retry-After`), when the server sent one.
        self.retry_after = retry_after

    @property
    def kind(self) -> str:
        """The last segment of `type`: `not-found`, `insufficient-scope`, `invalid-token`…"""
        return self.type.rsplit("/", 1)[-1]

    @classmethod
    def from_response(cls, response: httpx.Response) -> TesseraError:
        """Reads an error answer (its body must have been read); one that is not problem+json
        (a proxy's page) keeps its status."""
        retry_after = _retry_after(response.headers.get("retry-after"))
        if "json" in response.headers.get("content-type", ""):
            try:
                body = json.loads(response.content)
            except ValueError:
                body = None
            if (
                isinstance(body, dict)
                and isinstance(body.get("type"), str)
                and isinstance(body.get("status"), int)
            ):
                return cls(
                    status=body["status"],
                    type=body["type"],
                    title=body.get("title") or response.reason_phrase,
                    detail=body.get("detail") or "",
                    required=body.get("required"),
                    errors=body.get("errors"),
                    retry_after=retry_after,
                )
        return cls(
            status=response.status_code,
            type="about:blank",
            title=response.reason_phrase or f"HTTP {response.status_code}",
            detail=response.text[:500],
            retry_after=retry_after,
        )


def _retry_after(value: str | None) -> int | None:
    """`Retry-After` as seconds: delta-seconds or an HTTP date."""
    if value is None or not value.strip():
        return None
    if value.strip().isdigit():
        return int(value.strip())
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0, int(when.timestamp() - time.time() + 0.999))
