from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.delivered import Delivered
from ...models.problem_body import ProblemBody
from ...types import UNSET, File, Response, Unset


def _get_kwargs(
    trigger_id: str,
    *,
    body: File,
    webhook_id: None | str | Unset = UNSET,
    webhook_timestamp: None | str | Unset = UNSET,
    webhook_signature: None | str | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(webhook_id, Unset):
        headers["webhook-id"] = webhook_id

    if not isinstance(webhook_timestamp, Unset):
        headers["webhook-timestamp"] = webhook_timestamp

    if not isinstance(webhook_signature, Unset):
        headers["webhook-signature"] = webhook_signature

    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/webhook/{trigger_id}".format(
            trigger_id=quote(str(trigger_id), safe=""),
        ),
    }

    _kwargs["content"] = body.payload
    headers["Content-Type"] = "*/*"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | Delivered | ProblemBody | None:
    if response.status_code == 200:
        response_200 = Delivered.from_dict(response.json())

        return response_200

    if response.status_code == 202:
        response_202 = Delivered.from_dict(response.json())

        return response_202

    if response.status_code == 400:
        response_400 = ProblemBody.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ProblemBody.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ProblemBody.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = ProblemBody.from_dict(response.json())

        return response_404

    if response.status_code == 408:
        response_408 = ProblemBody.from_dict(response.json())

        return response_408

    if response.status_code == 409:
        response_409 = cast(Any, None)
        return response_409

    if response.status_code == 413:
        response_413 = ProblemBody.from_dict(response.json())

        return response_413

    if response.status_code == 429:
        response_429 = ProblemBody.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = ProblemBody.from_dict(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Any | Delivered | ProblemBody]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    trigger_id: str,
    *,
    client: AuthenticatedClient,
    body: File,
    webhook_id: None | str | Unset = UNSET,
    webhook_timestamp: None | str | Unset = UNSET,
    webhook_signature: None | str | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[Any | Delivered | ProblemBody]:
    """
    Args:
        trigger_id (str):
        webhook_id (None | str | Unset):
        webhook_timestamp (None | str | Unset):
        webhook_signature (None | str | Unset):
        idempotency_key (None | str | Unset):
        body (File):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Delivered | ProblemBody]
    """

    kwargs = _get_kwargs(
        trigger_id=trigger_id,
        body=body,
        webhook_id=webhook_id,
        webhook_timestamp=webhook_timestamp,
        webhook_signature=webhook_signature,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    trigger_id: str,
    *,
    client: AuthenticatedClient,
    body: File,
    webhook_id: None | str | Unset = UNSET,
    webhook_timestamp: None | str | Unset = UNSET,
    webhook_signature: None | str | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,
) -> Any | Delivered | ProblemBody | None:
    """
    Args:
        trigger_id (str):
        webhook_id (None | str | Unset):
        webhook_timestamp (None | str | Unset):
        webhook_signature (None | str | Unset):
        idempotency_key (None | str | Unset):
        body (File):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Delivered | ProblemBody
    """

    return sync_detailed(
        trigger_id=trigger_id,
        client=client,
        body=body,
        webhook_id=webhook_id,
        webhook_timestamp=webhook_timestamp,
        webhook_signature=webhook_signature,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    trigger_id: str,
    *,
    client: AuthenticatedClient,
    body: File,
    webhook_id: None | str | Unset = UNSET,
    webhook_timestamp: None | str | Unset = UNSET,
    webhook_signature: None | str | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[Any | Delivered | ProblemBody]:
    """
    Args:
        trigger_id (str):
        webhook_id (None | str | Unset):
        webhook_timestamp (None | str | Unset):
        webhook_signature (None | str | Unset):
        idempotency_key (None | str | Unset):
        body (File):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Delivered | ProblemBody]
    """

    kwargs = _get_kwargs(
        trigger_id=trigger_id,
        body=body,
        webhook_id=webhook_id,
        webhook_timestamp=webhook_timestamp,
        webhook_signature=webhook_signature,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    trigger_id: str,
    *,
    client: AuthenticatedClient,
    body: File,
    webhook_id: None | str | Unset = UNSET,
    webhook_timestamp: None | str | Unset = UNSET,
    webhook_signature: None | str | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,
) -> Any | Delivered | ProblemBody | None:
    """
    Args:
        trigger_id (str):
        webhook_id (None | str | Unset):
        webhook_timestamp (None | str | Unset):
        webhook_signature (None | str | Unset):
        idempotency_key (None | str | Unset):
        body (File):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Delivered | ProblemBody
    """

    return (
        await asyncio_detailed(
            trigger_id=trigger_id,
            client=client,
            body=body,
            webhook_id=webhook_id,
            webhook_timestamp=webhook_timestamp,
            webhook_signature=webhook_signature,
            idempotency_key=idempotency_key,
        )
    ).parsed
