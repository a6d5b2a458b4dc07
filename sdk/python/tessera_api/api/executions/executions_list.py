from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.execution_page import ExecutionPage
from ...models.execution_status import ExecutionStatus
from ...models.problem_body import ProblemBody
from ...types import UNSET, Response, Unset


def _get_kwargs(
    id: str,
    *,
    status: ExecutionStatus | Unset = UNSET,
    environment_id: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    offset: int | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_status: str | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = status.value

    params["status"] = json_status

    params["environment_id"] = environment_id

    params["limit"] = limit

    params["offset"] = offset

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/agent-base/{id}/executions".format(
            id=quote(str(id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ExecutionPage | ProblemBody | None:
    if response.status_code == 200:
        response_200 = ExecutionPage.from_dict(response.json())

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

    if response.status_code == 404:
        response_404 = ProblemBody.from_dict(response.json())

        return response_404

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
) -> Response[ExecutionPage | ProblemBody]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    id: str,
    *,
    client: AuthenticatedClient,
    status: ExecutionStatus | Unset = UNSET,
    environment_id: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    offset: int | Unset = UNSET,
) -> Response[ExecutionPage | ProblemBody]:
    """
    Args:
        id (str):
        status (ExecutionStatus | Unset): Where an execution is in its life: `queued → running →
            succeeded | failed | canceled |
            timed_out`. A running execution that loses its instance goes back to `queued` for
            another attempt.
        environment_id (str | Unset):
        limit (int | Unset):
        offset (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ExecutionPage | ProblemBody]
    """

    kwargs = _get_kwargs(
        id=id,
        status=status,
        environment_id=environment_id,
        limit=limit,
        offset=offset,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    id: str,
    *,
    client: AuthenticatedClient,
    status: ExecutionStatus | Unset = UNSET,
    environment_id: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    offset: int | Unset = UNSET,
) -> ExecutionPage | ProblemBody | None:
    """
    Args:
        id (str):
        status (ExecutionStatus | Unset): Where an execution is in its life: `queued → running →
            succeeded | failed | canceled |
            timed_out`. A running execution that loses its instance goes back to `queued` for
            another attempt.
        environment_id (str | Unset):
        limit (int | Unset):
        offset (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ExecutionPage | ProblemBody
    """

    return sync_detailed(
        id=id,
        client=client,
        status=status,
        environment_id=environment_id,
        limit=limit,
        offset=offset,
    ).parsed


async def asyncio_detailed(
    id: str,
    *,
    client: AuthenticatedClient,
    status: ExecutionStatus | Unset = UNSET,
    environment_id: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    offset: int | Unset = UNSET,
) -> Response[ExecutionPage | ProblemBody]:
    """
    Args:
        id (str):
        status (ExecutionStatus | Unset): Where an execution is in its life: `queued → running →
            succeeded | failed | canceled |
            timed_out`. A running execution that loses its instance goes back to `queued` for
            another attempt.
        environment_id (str | Unset):
        limit (int | Unset):
        offset (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ExecutionPage | ProblemBody]
    """

    kwargs = _get_kwargs(
        id=id,
        status=status,
        environment_id=environment_id,
        limit=limit,
        offset=offset,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: str,
    *,
    client: AuthenticatedClient,
    status: ExecutionStatus | Unset = UNSET,
    environment_id: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    offset: int | Unset = UNSET,
) -> ExecutionPage | ProblemBody | None:
    """
    Args:
        id (str):
        status (ExecutionStatus | Unset): Where an execution is in its life: `queued → running →
            succeeded | failed | canceled |
            timed_out`. A running execution that loses its instance goes back to `queued` for
            another attempt.
        environment_id (str | Unset):
        limit (int | Unset):
        offset (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ExecutionPage | ProblemBody
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            status=status,
            environment_id=environment_id,
            limit=limit,
            offset=offset,
        )
    ).parsed
