from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.level import Level
from ..types import UNSET, Unset

T = TypeVar("T", bound="Permissions")


@_attrs_define
class Permissions:
    """A level for each of the nine resources. On the wire a map with every key; in a request a
    resource left out is `none`. Unknown keys and levels are refused.

        Attributes:
            agents (Level | Unset): None, read, or write (which includes read). Ordered, so "at least read" is `>=`.
                Default: Level.NONE.
            assistant (Level | Unset): None, read, or write (which includes read). Ordered, so "at least read" is `>=`.
                Default: Level.NONE.
            executions (Level | Unset): None, read, or write (which includes read). Ordered, so "at least read" is `>=`.
                Default: Level.NONE.
            integrations (Level | Unset): None, read, or write (which includes read). Ordered, so "at least read" is `>=`.
                Default: Level.NONE.
            knowledge_base (Level | Unset): None, read, or write (which includes read). Ordered, so "at least read" is `>=`.
                Default: Level.NONE.
            storage (Level | Unset): None, read, or write (which includes read). Ordered, so "at least read" is `>=`.
                Default: Level.NONE.
            tokens (Level | Unset): None, read, or write (which includes read). Ordered, so "at least read" is `>=`.
                Default: Level.NONE.
            triggers (Level | Unset): None, read, or write (which includes read). Ordered, so "at least read" is `>=`.
                Default: Level.NONE.
            webhooks (Level | Unset): None, read, or write (which includes read). Ordered, so "at least read" is `>=`.
                Default: Level.NONE.
    """

    agents: Level | Unset = Level.NONE
    assistant: Level | Unset = Level.NONE
    executions: Level | Unset = Level.NONE
    integrations: Level | Unset = Level.NONE
    knowledge_base: Level | Unset = Level.NONE
    storage: Level | Unset = Level.NONE
    tokens: Level | Unset = Level.NONE
    triggers: Level | Unset = Level.NONE
    webhooks: Level | Unset = Level.NONE

    def to_dict(self) -> dict[str, Any]:
        agents: str | Unset = UNSET
        if not isinstance(self.agents, Unset):
            agents = self.agents.value

        assistant: str | Unset = UNSET
        if not isinstance(self.assistant, Unset):
            assistant = self.assistant.value

        executions: str | Unset = UNSET
        if not isinstance(self.executions, Unset):
            executions = self.executions.value

        integrations: str | Unset = UNSET
        if not isinstance(self.integrations, Unset):
            integrations = self.integrations.value

        knowledge_base: str | Unset = UNSET
        if not isinstance(self.knowledge_base, Unset):
            knowledge_base = self.knowledge_base.value

        storage: str | Unset = UNSET
        if not isinstance(self.storage, Unset):
            storage = self.storage.value

        tokens: str | Unset = UNSET
        if not isinstance(self.tokens, Unset):
            tokens = self.tokens.value

        triggers: str | Unset = UNSET
        if not isinstance(self.triggers, Unset):
            triggers = self.triggers.value

        webhooks: str | Unset = UNSET
        if not isinstance(self.webhooks, Unset):
            webhooks = self.webhooks.value

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if agents is not UNSET:
            field_dict["agents"] = agents
        if assistant is not UNSET:
            field_dict["assistant"] = assistant
        if executions is not UNSET:
            field_dict["executions"] = executions
        if integrations is not UNSET:
            field_dict["integrations"] = integrations
        if knowledge_base is not UNSET:
            field_dict["knowledge_base"] = knowledge_base
        if storage is not UNSET:
            field_dict["storage"] = storage
        if tokens is not UNSET:
            field_dict["tokens"] = tokens
        if triggers is not UNSET:
            field_dict["triggers"] = triggers
        if webhooks is not UNSET:
            field_dict["webhooks"] = webhooks

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        _agents = d.pop("agents", UNSET)
        agents: Level | Unset
        if isinstance(_agents, Unset):
            agents = UNSET
        else:
            agents = Level(_agents)

        _assistant = d.pop("assistant", UNSET)
        assistant: Level | Unset
        if isinstance(_assistant, Unset):
            assistant = UNSET
        else:
            assistant = Level(_assistant)

        _executions = d.pop("executions", UNSET)
        executions: Level | Unset
        if isinstance(_executions, Unset):
            executions = UNSET
        else:
            executions = Level(_executions)

        _integrations = d.pop("integrations", UNSET)
        integrations: Level | Unset
        if isinstance(_integrations, Unset):
            integrations = UNSET
        else:
            integrations = Level(_integrations)

        _knowledge_base = d.pop("knowledge_base", UNSET)
        knowledge_base: Level | Unset
        if isinstance(_knowledge_base, Unset):
            knowledge_base = UNSET
        else:
            knowledge_base = Level(_knowledge_base)

        _storage = d.pop("storage", UNSET)
        storage: Level | Unset
        if isinstance(_storage, Unset):
            storage = UNSET
        else:
            storage = Level(_storage)

        _tokens = d.pop("tokens", UNSET)
        tokens: Level | Unset
        if isinstance(_tokens, Unset):
            tokens = UNSET
        else:
            tokens = Level(_tokens)

        _triggers = d.pop("triggers", UNSET)
        triggers: Level | Unset
        if isinstance(_triggers, Unset):
            triggers = UNSET
        else:
            triggers = Level(_triggers)

        _webhooks = d.pop("webhooks", UNSET)
        webhooks: Level | Unset
        if isinstance(_webhooks, Unset):
            webhooks = UNSET
        else:
            webhooks = Level(_webhooks)

        permissions = cls(
            agents=agents,
            assistant=assistant,
            executions=executions,
            integrations=integrations,
            knowledge_base=knowledge_base,
            storage=storage,
            tokens=tokens,
            triggers=triggers,
            webhooks=webhooks,
        )

        return permissions
