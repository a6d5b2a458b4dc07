from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.agent_step_type_3_kind import AgentStepType3Kind

T = TypeVar("T", bound="AgentStepType3")


@_attrs_define
class AgentStepType3:
    """Asks the assistant's default answerer over the knowledge base.

    Attributes:
        id (str):
        kind (AgentStepType3Kind):
        question (str): A template.
    """

    id: str
    kind: AgentStepType3Kind
    question: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        kind = self.kind.value

        question = self.question

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "kind": kind,
                "question": question,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = d.pop("id")

        kind = AgentStepType3Kind(d.pop("kind"))

        question = d.pop("question")

        agent_step_type_3 = cls(
            id=id,
            kind=kind,
            question=question,
        )

        agent_step_type_3.additional_properties = d
        return agent_step_type_3

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
