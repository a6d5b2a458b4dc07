from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.effective_status import EffectiveStatus
from ...models.problem_body import ProblemBody
from ...models.token_page import TokenPage
from ...models.token_scope_kind import TokenScopeKind
from ...models.token_sort import TokenSort
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    status: EffectiveStatus | Unset = UNSET,
    scope_kind: TokenScopeKind | Unset = UNSET,
    environment_id: str | Unset = UNSET,
    agent_id: str | Unset = UNSET,
    search: str | Unset = UNSET,
    sort: TokenSort | Unset = UNSET,
    limit: int | Unset = UNSET,
    offset: int | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_status: str | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = status.value

    params["status"] = json_status

    json_scope_kind: str | Unset = UNSET
    if not isinstance(scope_kind, Unset):
        json_scope_kind = scope_kind.value

    params["scope_kind"] = json_scope_kind

    params["environment_id"] = environment_id

    params["agent_id"] = agent_id

    params["search"] = search

    json_sort: str | Unset = UNSET
    if not isinstance(sort, Unset):
        json_sort = sort.value

    params["sort"] = json_sort

    params["limit"] = limit

    params["offset"] = offset

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/tokens",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ProblemBody | TokenPage | None:
    if response.status_code == 200:
        response_200 = TokenPage.from_dict(response.json())

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
) -> Response[ProblemBody | TokenPage]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    status: EffectiveStatus | Unset = UNSET,
    scope_kind: TokenScopeKind | Unset = UNSET,
    environment_id: str | Unset = UNSET,
    agent_id: str | Unset = UNSET,
    search: str | Unset = UNSET,
    sort: TokenSort | Unset = UNSET,
    limit: int | Unset = UNSET,
    offset: int | Unset = UNSET,
) -> Response[ProblemBody | TokenPage]:
    """
    Args:
        status (EffectiveStatus | Unset): The status a person sees and that authentication obeys:
            the stored status with expiry
            applied.
        scope_kind (TokenScopeKind | Unset): The kind of a [`TokenScope`], without its ids: what
            the scope filter and the database's
            `scope_kind` column hold.
        environment_id (str | Unset):
        agent_id (str | Unset):
        search (str | Unset):
        sort (TokenSort | Unset): The orders a token list can be shown in. Never-used tokens sort
            after used ones whichever
            way "last used" goes, since "never" is not a time.
        limit (int | Unset):
        offset (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ProblemBody | TokenPage]
    """

    kwargs = _get_kwargs(
        status=status,
        scope_kind=scope_kind,
        environment_id=environment_id,
        agent_id=agent_id,
        search=search,
        sort=sort,
        limit=limit,
        offset=offset,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    status: EffectiveStatus | Unset = UNSET,
    scope_kind: TokenScopeKind | Unset = UNSET,
    environment_id: str | Unset = UNSET,
    agent_id: str | Unset = UNSET,
    search: str | Unset = UNSET,
    sort: TokenSort | Unset = UNSET,
    limit: int | Unset = UNSET,
    offset: int | Unset = UNSET,
) -> ProblemBody | TokenPage | None:
    """
    Args:
        status (EffectiveStatus | Unset): The status a person sees and that authentication obeys:
            the stored status with expiry
            applied.
        scope_kind (TokenScopeKind | Unset): The kind of a [`TokenScope`], without its ids: what
            the scope filter and the database's
            `scope_kind` column hold.
        environment_id (str | Unset):
        agent_id (str | Unset):
        search (str | Unset):
        sort (TokenSort | Unset): The orders a token list can be shown in. Never-used tokens sort
            after used ones whichever
            way "last used" goes, since "never" is not a time.
        limit (int | Unset):
        offset (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ProblemBody | TokenPage
    """

    return sync_detailed(
        client=client,
        status=status,
        scope_kind=scope_kind,
        environment_id=environment_id,
        agent_id=agent_id,
        search=search,
        sort=sort,
        limit=limit,
        offset=offset,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    status: EffectiveStatus | Unset = UNSET,
    scope_kind: TokenScopeKind | Unset = UNSET,
    environment_id: str | Unset = UNSET,
    agent_id: str | Unset = UNSET,
    search: str | Unset = UNSET,
    sort: TokenSort | Unset = UNSET,
    limit: int | Unset = UNSET,
    offset: int | Unset = UNSET,
) -> Response[ProblemBody | TokenPage]:
    """
    Args:
        status (EffectiveStatus | Unset): The status a person sees and that authentication obeys:
            the stored status with expiry
            applied.
        scope_kind (TokenScopeKind | Unset): The kind of a [`TokenScope`], without its ids: what
            the scope filter and the database's
            `scope_kind` column hold.
        environment_id (str | Unset):
        agent_id (str | Unset):
        search (str | Unset):
        sort (TokenSort | Unset): The orders a token list can be shown in. Never-used tokens sort
            after used ones whichever
            way "last used" goes, since "never" is not a time.
        limit (int | Unset):
        offset (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ProblemBody | TokenPage]
    """

    kwargs = _get_kwargs(
        status=status,
        scope_kind=scope_kind,
        environment_id=environment_id,
        agent_id=agent_id,
        search=search,
        sort=sort,
        limit=limit,
        offset=offset,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    status: EffectiveStatus | Unset = UNSET,
    scope_kind: TokenScopeKind | Unset = UNSET,
    environment_id: str | Unset = UNSET,
    agent_id: str | Unset = UNSET,
    search: str | Unset = UNSET,
    sort: TokenSort | Unset = UNSET,
    limit: int | Unset = UNSET,
    offset: int | Unset = UNSET,
) -> ProblemBody | TokenPage | None:
    """
    Args:
        status (EffectiveStatus | Unset): The status a person sees and that authentication obeys:
            the stored status with expiry
            applied.
        scope_kind (TokenScopeKind | Unset): The kind of a [`TokenScope`], without its ids: what
            the scope filter and the database's
            `scope_kind` column hold.
        environment_id (str | Unset):
        agent_id (str | Unset):
        search (str | Unset):
        sort (TokenSort | Unset): The orders a token list can be shown in. Never-used tokens sort
            after used ones whichever
            way "last used" goes, since "never" is not a time.
        limit (int | Unset):
        offset (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ProblemBody | TokenPage
    """

    return (
        await asyncio_detailed(
            client=client,
            status=status,
            scope_kind=scope_kind,
            environment_id=environment_id,
            agent_id=agent_id,
            search=search,
            sort=sort,
            limit=limit,
            offset=offset,
        )
    ).parsed
