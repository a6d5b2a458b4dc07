from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="StoredFile")


@_attrs_define
class StoredFile:
    """An uploaded file: its bytes are in the blob store, these facts in the database.

    Attributes:
        content_type (str):
        created_at_ms (int):
        id (str):
        name (str): The client's file name, cleaned for display (no paths, no control characters).
        sha256 (str): Lowercase hex SHA-256 of the bytes.
        size (int): Bytes.
        uploaded_by (str): Who uploaded it (a person's name or a token's).
        document_id (None | str | Unset): The knowledge-base document read from the file; absent for kinds it cannot
            read.
    """

    content_type: str
    created_at_ms: int
    id: str
    name: str
    sha256: str
    size: int
    uploaded_by: str
    document_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        content_type = self.content_type

        created_at_ms = self.created_at_ms

        id = self.id

        name = self.name

        sha256 = self.sha256

        size = self.size

        uploaded_by = self.uploaded_by

        document_id: None | str | Unset
        if isinstance(self.document_id, Unset):
            document_id = UNSET
        else:
            document_id = self.document_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "content_type": content_type,
                "created_at_ms": created_at_ms,
                "id": id,
                "name": name,
                "sha256": sha256,
                "size": size,
                "uploaded_by": uploaded_by,
            }
        )
        if document_id is not UNSET:
            field_dict["document_id"] = document_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        content_type = d.pop("content_type")

        created_at_ms = d.pop("created_at_ms")

        id = d.pop("id")

        name = d.pop("name")

        sha256 = d.pop("sha256")

        size = d.pop("size")

        uploaded_by = d.pop("uploaded_by")

        def _parse_document_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        document_id = _parse_document_id(d.pop("document_id", UNSET))

        stored_file = cls(
            content_type=content_type,
            created_at_ms=created_at_ms,
            id=id,
            name=name,
            sha256=sha256,
            size=size,
            uploaded_by=uploaded_by,
            document_id=document_id,
        )

        stored_file.additional_properties = d
        return stored_file

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
