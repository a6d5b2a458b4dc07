from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.agent_step_type_1_kind import AgentStepType1Kind

T = TypeVar("T", bound="AgentStepType1")


@_attrs_define
class AgentStepType1:
    """Renders text; the output is the text.

    Attributes:
        id (str):
        kind (AgentStepType1Kind):
        template (str):
    """

    id: str
    kind: AgentStepType1Kind
    template: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        kind = self.kind.value

        template = self.template

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "kind": kind,
                "template": template,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = d.pop("id")

        kind = AgentStepType1Kind(d.pop("kind"))

        template = d.pop("template")

        agent_step_type_1 = cls(
            id=id,
            kind=kind,
            template=template,
        )

        agent_step_type_1.additional_properties = d
        return agent_step_type_1

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
