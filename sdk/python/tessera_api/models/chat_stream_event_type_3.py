from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.message_completed import MessageCompleted


T = TypeVar("T", bound="ChatStreamEventType3")


@_attrs_define
class ChatStreamEventType3:
    """
    Attributes:
        message_completed (MessageCompleted): `message.completed`: the answer is whole.
    """

    message_completed: MessageCompleted
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        message_completed = self.message_completed.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "message.completed": message_completed,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.message_completed import MessageCompleted

        d = dict(src_dict)
        message_completed = MessageCompleted.from_dict(d.pop("message.completed"))

        chat_stream_event_type_3 = cls(
            message_completed=message_completed,
        )

        chat_stream_event_type_3.additional_properties = d
        return chat_stream_event_type_3

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
