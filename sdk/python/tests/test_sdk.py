"""The SDK against a real server (scripts/sdks.sh test starts one and sets TESSERA_API_URL,
TESSERA_API_TOKEN, an account token, and TESSERA_TEST_ENVIRONMENT_ID)."""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import pathlib
import random
import re
import time

import httpx
import pytest

from tessera_api.api.agents import install
from tessera_api.api.assistant import conversation
from tessera_api.api.executions import executions_list, executions_show
from tessera_api.api.knowledge_base import knowledge_base_show
from tessera_api.api.storage import storage_delete
from tessera_api.api.tokens import revoke, token_self, tokens_create, tokens_list, tokens_show
from tessera_api.api.triggers import execute, triggers_create
from tessera_api.models import (
    AgentConfig,
    AgentRequest,
    AgentStepType1,
    AgentStepType1Kind,
    ChatProblem,
    Citation,
    CreateTokenRequest,
    ExecuteRequest,
    ExecuteRequestInputType0,
    ExecutionStatus,
    Level,
    MessageCompleted,
    MessageCreated,
    Permissions,
    TextDelta,
    TokenSort,
    TriggerKind,
    TriggerRequest,
)
from tessera_sdk import Tessera, TesseraError, TesseraTokenError, check_token, token_checksum
from tessera_sdk.token import BASE62


def required(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        pytest.exit(f"{name} is not set: run the tests with scripts/sdks.sh test", returncode=2)
    return value


BASE_URL = required("TESSERA_API_URL")
TOKEN = required("TESSERA_API_TOKEN")
ENVIRONMENT_ID = required("TESSERA_TEST_ENVIRONMENT_ID")
RUN = f"py-{int(time.time() * 1000):x}"


@pytest.fixture(scope="module")
def tessera() -> Tessera:
    with Tessera() as client:
        yield client


def forged_token() -> str:
    """A well-formed token (right shape and checksum) that the server never issued."""
    body = "tsr_" + "".join(random.choice(BASE62) for _ in range(44))
    return body + token_checksum(body)


class CountingTransport(httpx.HTTPTransport):
    """Counts the requests that reach the network."""

    def __init__(self) -> None:
        super().__init__()
        self.requests: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(f"{request.method} {request.url.path}?{request.url.query.decode()}")
        return super().handle_request(request)


def expect_problem(status: int, kind: str, call) -> TesseraError:
    with pytest.raises(TesseraError) as caught:
        call()
    error = caught.value
    assert error.status == status
    assert error.kind == kind
    assert re.match(r"https?://.+/", error.type)
    assert error.title and error.detail
    return error


def eventually(what: str, probe, seconds: float = 30):
    deadline = time.monotonic() + seconds
    while True:
        value = probe()
        if value is not None:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: not within {seconds} s")
        time.sleep(0.1)


# --- configuration ------------------------------------------------------------------------


def test_token_and_url_come_from_the_environment() -> None:
    with Tessera() as client:
        me = token_self.sync(client=client.client)
        assert client.base_url == BASE_URL
    assert me.name == "sdk tests"
    assert me.scope.kind == "account"
    assert me.permissions.tokens == Level.WRITE


def test_the_arguments_win_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TESSERA_API_TOKEN", "not a token")
    monkeypatch.setenv("TESSERA_API_URL", "http://127.0.0.1:9")
    with Tessera(api_token=TOKEN, base_url=BASE_URL + "/") as client:
        assert client.base_url == BASE_URL
        assert token_self.sync(client=client.client).name == "sdk tests"
    with pytest.raises(TesseraTokenError):
        Tessera()


def test_without_a_token_the_error_says_where_to_put_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TESSERA_API_TOKEN")
    with pytest.raises(TesseraTokenError, match="TESSERA_API_TOKEN"):
        Tessera(base_url=BASE_URL)


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t.replace("tsr_", "tsk_"),  # wrong prefix
        lambda t: t[:40],  # cut short
        lambda t: t + "x",  # too long
        lambda t: t[:30] + "-" + t[31:],  # not base62
        lambda t: t[:20] + ("b" if t[20] == "a" else "a") + t[21:],  # wrong checksum
    ],
    ids=["prefix", "short", "long", "alphabet", "checksum"],
)
def test_a_malformed_token_is_refused_before_any_request_and_never_shown(mangle, monkeypatch) -> None:
    token = mangle(TOKEN)
    sent: list[httpx.Request] = []
    monkeypatch.setattr(httpx.Client, "send", lambda self, request, **kw: sent.append(request))
    with pytest.raises(TesseraTokenError) as caught:
        Tessera(api_token=token, base_url=BASE_URL)
    # Booleans, so a failing assertion does not print the token either.
    for text in (str(caught.value), repr(caught.value), "".join(map(str, caught.value.args))):
        shows_token = token in text or TOKEN[16:48] in text
        assert not shows_token, "the error shows the token or its secret"
    assert sent == []


def test_the_checksum_is_what_the_server_computes() -> None:
    trimmed = check_token(f" {TOKEN}\n") == TOKEN
    assert trimmed, "check_token returns the token without surrounding whitespace"
    same = token_checksum(TOKEN[:48]) == TOKEN[48:]
    assert same, "the checksum differs from the server's"
    with pytest.raises(TesseraTokenError, match="checksum"):
        check_token(TOKEN[:48] + ("000000" if TOKEN[48:] != "000000" else "000001"))


def test_the_client_never_shows_its_token() -> None:
    with Tessera() as client:
        for text in (repr(client), repr(client.client), str(vars(client))):
            shows_token = TOKEN in text
            assert not shows_token, "the client's repr shows the token"


def test_a_well_formed_unknown_token_is_a_401_problem_that_does_not_show_it() -> None:
    token = forged_token()
    with Tessera(api_token=token) as client:
        error = expect_problem(401, "invalid-token", lambda: token_self.sync(client=client.client))
    assert token not in str(error) and token not in repr(error.__dict__)


# --- tokens -------------------------------------------------------------------------------


def test_create_list_use_and_revoke_a_token(tessera: Tessera) -> None:
    name = f"{RUN}-reader"
    created = tokens_create.sync(
        client=tessera.client,
        body=CreateTokenRequest(
            name=name, permissions=Permissions(agents=Level.READ, tokens=Level.READ, storage=Level.READ)
        ),
    )
    well_formed = check_token(created.plaintext) == created.plaintext
    assert well_formed
    assert created.token.name == name
    assert created.token.status.value == "active"

    listed = tokens_list.sync(client=tessera.client, search=name)
    assert listed.total == 1
    assert [t.id for t in listed.items] == [created.token.id]
    listed_with_secret = created.plaintext in str(listed.to_dict())
    assert not listed_with_secret

    with Tessera(api_token=created.plaintext) as reader:
        me = token_self.sync(client=reader.client)
        assert me.id == created.token.id
        assert me.permissions.agents == Level.READ
        assert me.permissions.executions == Level.NONE

        revoked = revoke.sync(created.token.id, client=tessera.client)
        assert revoked.status.value == "revoked"
        expect_problem(401, "invalid-token", lambda: token_self.sync(client=reader.client))


def test_a_refused_permission_is_a_403_naming_what_was_needed(tessera: Tessera) -> None:
    created = tokens_create.sync(
        client=tessera.client,
        body=CreateTokenRequest(name=f"{RUN}-no-agents", permissions=Permissions(agents=Level.READ)),
    )
    with Tessera(api_token=created.plaintext) as reader:
        error = expect_problem(
            403,
            "insufficient-scope",
            lambda: install.sync(
                client=reader.client, body=AgentRequest(name=f"{RUN}-refused", version="1.0.0")
            ),
        )
    assert error.required == "agents:write"
    assert error.retry_after is None
    assert "agents:write" in str(error)


def test_an_id_that_does_not_exist_is_a_404(tessera: Tessera) -> None:
    expect_problem(
        404, "not-found", lambda: tokens_show.sync("0123456789abcdef0123456789abcdef", client=tessera.client)
    )


def test_a_body_that_breaks_the_rules_is_a_422_with_the_fields(tessera: Tessera) -> None:
    error = expect_problem(
        422, "validation", lambda: tokens_create.sync(client=tessera.client, body=CreateTokenRequest(name=""))
    )
    assert error.errors and "name" in error.errors


def test_paginate_walks_every_page(tessera: Tessera) -> None:
    prefix = f"{RUN}-page"
    names = [f"{prefix}-{i}" for i in range(5)]
    for name in names:
        tokens_create.sync(client=tessera.client, body=CreateTokenRequest(name=name))
    transport = CountingTransport()
    with Tessera(httpx_args={"transport": transport}) as client:
        seen = [
            t.name for t in client.paginate(tokens_list, page_size=2, search=prefix, sort=TokenSort.NAME_ASC)
        ]
    assert seen == names
    assert len(transport.requests) == 3, transport.requests
    assert all("limit=2" in line for line in transport.requests)
    assert any("offset=4" in line for line in transport.requests)


# --- agents -------------------------------------------------------------------------------


def test_install_an_agent_execute_its_manual_trigger_and_read_the_execution(tessera: Tessera) -> None:
    step = AgentStepType1(id="greet", template="Hello {{ input.name }}", kind=AgentStepType1Kind.TEMPLATE)
    agent = install.sync(
        client=tessera.client,
        body=AgentRequest(name=f"{RUN}-greeter", version="1.0.0", config=AgentConfig(steps=[step])),
    )
    assert len(agent.config.steps) == 1
    trigger = triggers_create.sync(
        client=tessera.client,
        body=TriggerRequest(
            name=f"{RUN}-run", agent_id=agent.id, environment_id=ENVIRONMENT_ID, kind=TriggerKind.MANUAL
        ),
    )
    assert trigger.kind == TriggerKind.MANUAL
    payload = ExecuteRequestInputType0.from_dict({"name": "Ada"})
    executed = execute.sync(trigger.id, client=tessera.client, body=ExecuteRequest(input_=payload))
    assert executed.execution.input_ == {"name": "Ada"}

    def finished():
        execution = executions_show.sync(agent.id, executed.execution_id, client=tessera.client)
        return None if execution.status in (ExecutionStatus.QUEUED, ExecutionStatus.RUNNING) else execution

    done = eventually("the execution to finish", finished)
    assert done.status == ExecutionStatus.SUCCEEDED, done.error
    # A template step's output is its text (the document says an object: see sdk/README.md).
    assert done.output == "Hello Ada"
    assert done.trigger_id == trigger.id
    assert [(s.step_id, s.kind, s.status) for s in done.steps] == [("greet", "template", "succeeded")]

    runs = executions_list.sync(agent.id, client=tessera.client, status=ExecutionStatus.SUCCEEDED)
    assert [run.id for run in runs.items] == [executed.execution_id]


# --- storage ------------------------------------------------------------------------------


def test_upload_bytes_and_download_them_unchanged(tessera: Tessera) -> None:
    data = bytes(range(256)) + os.urandom(70_000)
    stored = tessera.upload(f"{RUN}.bin", data)
    assert stored.size == len(data)
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert stored.name == f"{RUN}.bin"
    assert tessera.download(stored.id) == data

    storage_delete.sync_detailed(stored.id, client=tessera.client)
    expect_problem(404, "not-found", lambda: tessera.download(stored.id))


# --- assistant ----------------------------------------------------------------------------


def test_the_chat_stream_yields_typed_events_citing_the_uploaded_document(tessera: Tessera) -> None:
    word = "Zephyrine" + re.sub(r"[^a-z0-9]", "", RUN)
    text = (
        f"# Keeper handbook {RUN}\n\nThe lighthouse keeper feeds the cat named {word} every morning at seven.\n\n"
        "The lamp is cleaned on Sundays with a soft cloth.\n"
    )
    stored = tessera.upload(f"{RUN}-handbook.md", text.encode(), "text/markdown")
    assert stored.document_id, "a Markdown file becomes a knowledge-base document"

    def indexed():
        document = knowledge_base_show.sync(stored.document_id, client=tessera.client)
        assert document.status.value != "failed", document.failure
        return document if document.status.value == "ready" else None

    eventually("the document to be indexed", indexed)

    events = list(tessera.chat(f"Who feeds the cat named {word}?"))
    assert isinstance(events[0], MessageCreated)
    assert isinstance(events[-1], MessageCompleted)
    assert not any(isinstance(e, ChatProblem) for e in events), events
    citations = [e for e in events if isinstance(e, Citation)]
    assert any(c.document_id == stored.document_id for c in citations)
    answer = "".join(e.delta for e in events if isinstance(e, TextDelta))
    assert word in answer
    assert events[-1].answerer.value == "extractive"
    assert events[-1].finish_reason.value == "stop"
    assert events[-1].citations

    kept = conversation.sync(events[0].conversation_id, client=tessera.client)
    assert word in str(kept.to_dict())


def test_a_question_the_server_refuses_raises_before_the_stream_starts(tessera: Tessera) -> None:
    expect_problem(422, "validation", lambda: next(tessera.chat("")))


# --- the generated client -----------------------------------------------------------------


def test_every_route_of_the_servers_document_has_a_generated_function() -> None:
    document = httpx.get(f"{BASE_URL}/api/openapi.json").json()
    # The committed document is the server's with unique operationIds (sdk/openapi_prepare.py).
    committed = json.loads((pathlib.Path(__file__).parents[2] / "openapi.json").read_text())
    missing = []
    methods = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}
    for path, item in document["paths"].items():
        for method in methods & item.keys():
            operation = committed["paths"].get(path, {}).get(method)
            if operation is None:
                missing.append(f"{method.upper()} {path} (not in sdk/openapi.json)")
                continue
            tag = operation["tags"][0].replace("-", "_")
            module = f"tessera_api.api.{tag}.{operation['operationId']}"
            try:
                generated = importlib.import_module(module)
            except ImportError:
                missing.append(f"{method.upper()} {path} ({module})")
                continue
            if not all(hasattr(generated, f) for f in ("sync_detailed", "asyncio_detailed")):
                missing.append(f"{method.upper()} {path} ({module} lacks sync_detailed)")
    assert missing == [], "routes without a generated function: run scripts/sdks.sh generate"
