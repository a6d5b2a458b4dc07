from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.agent_step_type_4_kind import AgentStepType4Kind

T = TypeVar("T", bound="AgentStepType4")


@_attrs_define
class AgentStepType4:
    """Asks an `llm` integration's model (by id or name).

    Attributes:
        id (str):
        integration (str):
        kind (AgentStepType4Kind):
        prompt (str): A template.
    """

    id: str
    integration: str
    kind: AgentStepType4Kind
    prompt: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        integration = self.integration

        kind = self.kind.value

        prompt = self.prompt

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "integration": integration,
                "kind": kind,
                "prompt": prompt,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = d.pop("id")

        integration = d.pop("integration")

        kind = AgentStepType4Kind(d.pop("kind"))

        prompt = d.pop("prompt")

        agent_step_type_4 = cls(
            id=id,
            integration=integration,
            kind=kind,
            prompt=prompt,
        )

        agent_step_type_4.additional_properties = d
        return agent_step_type_4

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
