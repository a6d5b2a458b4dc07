from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.chat_request import ChatRequest
from ...models.chat_stream_event_type_0 import ChatStreamEventType0
from ...models.chat_stream_event_type_1 import ChatStreamEventType1
from ...models.chat_stream_event_type_2 import ChatStreamEventType2
from ...models.chat_stream_event_type_3 import ChatStreamEventType3
from ...models.chat_stream_event_type_4 import ChatStreamEventType4
from ...models.problem_body import ProblemBody
from ...types import Response


def _get_kwargs(
    *,
    body: ChatRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/assistant/chat",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> (
    ChatStreamEventType0
    | ChatStreamEventType1
    | ChatStreamEventType2
    | ChatStreamEventType3
    | ChatStreamEventType4
    | ProblemBody
    | None
):
    if response.status_code == 200:

        def _parse_response_200(
            data: object,
        ) -> (
            ChatStreamEventType0
            | ChatStreamEventType1
            | ChatStreamEventType2
            | ChatStreamEventType3
            | ChatStreamEventType4
        ):
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_chat_stream_event_type_0 = (
                    ChatStreamEventType0.from_dict(data)
                )

                return componentsschemas_chat_stream_event_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_chat_stream_event_type_1 = (
                    ChatStreamEventType1.from_dict(data)
                )

                return componentsschemas_chat_stream_event_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_chat_stream_event_type_2 = (
                    ChatStreamEventType2.from_dict(data)
                )

                return componentsschemas_chat_stream_event_type_2
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_chat_stream_event_type_3 = (
                    ChatStreamEventType3.from_dict(data)
                )

                return componentsschemas_chat_stream_event_type_3
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_chat_stream_event_type_4 = ChatStreamEventType4.from_dict(
                data
            )

            return componentsschemas_chat_stream_event_type_4

        response_200 = _parse_response_200(response.text)

        return response_200

    if response.status_code == 400:
        response_400 = ProblemBody.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ProblemBody.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ProblemBody.from_dict(response.json())

        return response_403

    if response.status_code == 408:
        response_408 = ProblemBody.from_dict(response.json())

        return response_408

    if response.status_code == 413:
        response_413 = ProblemBody.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = ProblemBody.from_dict(response.json())

        return response_415

    if response.status_code == 422:
        response_422 = ProblemBody.from_dict(response.json())

        return response_422

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
) -> Response[
    ChatStreamEventType0
    | ChatStreamEventType1
    | ChatStreamEventType2
    | ChatStreamEventType3
    | ChatStreamEventType4
    | ProblemBody
]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: ChatRequest,
) -> Response[
    ChatStreamEventType0
    | ChatStreamEventType1
    | ChatStreamEventType2
    | ChatStreamEventType3
    | ChatStreamEventType4
    | ProblemBody
]:
    """
    Args:
        body (ChatRequest): A question, in a new conversation or (with its id) a follow-up in one
            of the caller's own.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ChatStreamEventType0 | ChatStreamEventType1 | ChatStreamEventType2 | ChatStreamEventType3 | ChatStreamEventType4 | ProblemBody]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: ChatRequest,
) -> (
    ChatStreamEventType0
    | ChatStreamEventType1
    | ChatStreamEventType2
    | ChatStreamEventType3
    | ChatStreamEventType4
    | ProblemBody
    | None
):
    """
    Args:
        body (ChatRequest): A question, in a new conversation or (with its id) a follow-up in one
            of the caller's own.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ChatStreamEventType0 | ChatStreamEventType1 | ChatStreamEventType2 | ChatStreamEventType3 | ChatStreamEventType4 | ProblemBody
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: ChatRequest,
) -> Response[
    ChatStreamEventType0
    | ChatStreamEventType1
    | ChatStreamEventType2
    | ChatStreamEventType3
    | ChatStreamEventType4
    | ProblemBody
]:
    """
    Args:
        body (ChatRequest): A question, in a new conversation or (with its id) a follow-up in one
            of the caller's own.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ChatStreamEventType0 | ChatStreamEventType1 | ChatStreamEventType2 | ChatStreamEventType3 | ChatStreamEventType4 | ProblemBody]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: ChatRequest,
) -> (
    ChatStreamEventType0
    | ChatStreamEventType1
    | ChatStreamEventType2
    | ChatStreamEventType3
    | ChatStreamEventType4
    | ProblemBody
    | None
):
    """
    Args:
        body (ChatRequest): A question, in a new conversation or (with its id) a follow-up in one
            of the caller's own.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ChatStreamEventType0 | ChatStreamEventType1 | ChatStreamEventType2 | ChatStreamEventType3 | ChatStreamEventType4 | ProblemBody
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
