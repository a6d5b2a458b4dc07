from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ConversationSummary")


@_attrs_define
class ConversationSummary:
    """A conversation in a list: newest activity first.

    Attributes:
        created_at_ms (int):
        id (str):
        message_count (int):
        title (str): The first question, shortened.
        updated_at_ms (int):
    """

    created_at_ms: int
    id: str
    message_count: int
    title: str
    updated_at_ms: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at_ms = self.created_at_ms

        id = self.id

        message_count = self.message_count

        title = self.title

        updated_at_ms = self.updated_at_ms

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at_ms": created_at_ms,
                "id": id,
                "message_count": message_count,
                "title": title,
                "updated_at_ms": updated_at_ms,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        created_at_ms = d.pop("created_at_ms")

        id = d.pop("id")

        message_count = d.pop("message_count")

        title = d.pop("title")

        updated_at_ms = d.pop("updated_at_ms")

        conversation_summary = cls(
            created_at_ms=created_at_ms,
            id=id,
            message_count=message_count,
            title=title,
            updated_at_ms=updated_at_ms,
        )

        conversation_summary.additional_properties = d
        return conversation_summary

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
