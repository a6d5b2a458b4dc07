from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.agent_config import AgentConfig


T = TypeVar("T", bound="Agent")


@_attrs_define
class Agent:
    """An installed agent.

    Attributes:
        config (AgentConfig): What an agent does (docs/agent-config.md): its steps, run in order, each seeing the
            execution's `input` and the earlier steps' outputs (`steps.<id>`) in its templates
            (minijinja, sandboxed: no I/O).
        created_at_ms (int):
        description (str): Empty when there is none.
        id (str):
        name (str):
        updated_at_ms (int):
        version (str):
    """

    config: AgentConfig
    created_at_ms: int
    description: str
    id: str
    name: str
    updated_at_ms: int
    version: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        config = self.config.to_dict()

        created_at_ms = self.created_at_ms

        description = self.description

        id = self.id

        name = self.name

        updated_at_ms = self.updated_at_ms

        version = self.version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "config": config,
                "created_at_ms": created_at_ms,
                "description": description,
                "id": id,
                "name": name,
                "updated_at_ms": updated_at_ms,
                "version": version,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.agent_config import AgentConfig

        d = dict(src_dict)
        config = AgentConfig.from_dict(d.pop("config"))

        created_at_ms = d.pop("created_at_ms")

        description = d.pop("description")

        id = d.pop("id")

        name = d.pop("name")

        updated_at_ms = d.pop("updated_at_ms")

        version = d.pop("version")

        agent = cls(
            config=config,
            created_at_ms=created_at_ms,
            description=description,
            id=id,
            name=name,
            updated_at_ms=updated_at_ms,
            version=version,
        )

        agent.additional_properties = d
        return agent

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
