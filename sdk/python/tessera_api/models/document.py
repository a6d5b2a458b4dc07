from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.document_status import DocumentStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="Document")


@_attrs_define
class Document:
    """A file as the knowledge base reads it.

    Attributes:
        chunk_count (int):
        content_type (str):
        created_at_ms (int):
        file_id (str):
        file_name (str):
        id (str):
        size (int): The file's size in bytes.
        status (DocumentStatus):
        title (str): The file's own title (HTML `<title>`, a Markdown or DOCX title…) or else its name.
        updated_at_ms (int):
        uploaded_by (str):
        failure (None | str | Unset): Why it failed, for people; absent unless `status` is `failed`.
    """

    chunk_count: int
    content_type: str
    created_at_ms: int
    file_id: str
    file_name: str
    id: str
    size: int
    status: DocumentStatus
    title: str
    updated_at_ms: int
    uploaded_by: str
    failure: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        chunk_count = self.chunk_count

        content_type = self.content_type

        created_at_ms = self.created_at_ms

        file_id = self.file_id

        file_name = self.file_name

        id = self.id

        size = self.size

        status = self.status.value

        title = self.title

        updated_at_ms = self.updated_at_ms

        uploaded_by = self.uploaded_by

        failure: None | str | Unset
        if isinstance(self.failure, Unset):
            failure = UNSET
        else:
            failure = self.failure

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "chunk_count": chunk_count,
                "content_type": content_type,
                "created_at_ms": created_at_ms,
                "file_id": file_id,
                "file_name": file_name,
                "id": id,
                "size": size,
                "status": status,
                "title": title,
                "updated_at_ms": updated_at_ms,
                "uploaded_by": uploaded_by,
            }
        )
        if failure is not UNSET:
            field_dict["failure"] = failure

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        chunk_count = d.pop("chunk_count")

        content_type = d.pop("content_type")

        created_at_ms = d.pop("created_at_ms")

        file_id = d.pop("file_id")

        file_name = d.pop("file_name")

        id = d.pop("id")

        size = d.pop("size")

        status = DocumentStatus(d.pop("status"))

        title = d.pop("title")

        updated_at_ms = d.pop("updated_at_ms")

        uploaded_by = d.pop("uploaded_by")

        def _parse_failure(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        failure = _parse_failure(d.pop("failure", UNSET))

        document = cls(
            chunk_count=chunk_count,
            content_type=content_type,
            created_at_ms=created_at_ms,
            file_id=file_id,
            file_name=file_name,
            id=id,
            size=size,
            status=status,
            title=title,
            updated_at_ms=updated_at_ms,
            uploaded_by=uploaded_by,
            failure=failure,
        )

        document.additional_properties = d
        return document

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
