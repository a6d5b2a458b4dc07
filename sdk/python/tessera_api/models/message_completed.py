from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.answerer import Answerer
from ..models.finish_reason import FinishReason

T = TypeVar("T", bound="MessageCompleted")


@_attrs_define
class MessageCompleted:
    """`message.completed`: the answer is whole.

    Attributes:
        answerer (Answerer): Who wrote an answer.
        citations (list[int]): The citation numbers the answer uses.
        finish_reason (FinishReason): Why an answer ended.
    """

    answerer: Answerer
    citations: list[int]
    finish_reason: FinishReason
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        answerer = self.answerer.value

        citations = self.citations

        finish_reason = self.finish_reason.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "answerer": answerer,
                "citations": citations,
                "finish_reason": finish_reason,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        answerer = Answerer(d.pop("answerer"))

        citations = cast(list[int], d.pop("citations"))

        finish_reason = FinishReason(d.pop("finish_reason"))

        message_completed = cls(
            answerer=answerer,
            citations=citations,
            finish_reason=finish_reason,
        )

        message_completed.additional_properties = d
        return message_completed

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
