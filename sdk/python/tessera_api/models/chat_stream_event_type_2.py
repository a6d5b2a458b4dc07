from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.text_delta import TextDelta


T = TypeVar("T", bound="ChatStreamEventType2")


@_attrs_define
class ChatStreamEventType2:
    """
    Attributes:
        text_delta (TextDelta): `text.delta`: the next piece of the answer.
    """

    text_delta: TextDelta
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        text_delta = self.text_delta.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "text.delta": text_delta,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.text_delta import TextDelta

        d = dict(src_dict)
        text_delta = TextDelta.from_dict(d.pop("text.delta"))

        chat_stream_event_type_2 = cls(
            text_delta=text_delta,
        )

        chat_stream_event_type_2.additional_properties = d
        return chat_stream_event_type_2

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
