from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.message_created import MessageCreated


T = TypeVar("T", bound="ChatStreamEventType0")


@_attrs_define
class ChatStreamEventType0:
    """
    Attributes:
        message_created (MessageCreated): `message.created`: the ids of the conversation and of this answer.
    """

    message_created: MessageCreated
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        message_created = self.message_created.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "message.created": message_created,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.message_created import MessageCreated

        d = dict(src_dict)
        message_created = MessageCreated.from_dict(d.pop("message.created"))

        chat_stream_event_type_0 = cls(
            message_created=message_created,
        )

        chat_stream_event_type_0.additional_properties = d
        return chat_stream_event_type_0

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
