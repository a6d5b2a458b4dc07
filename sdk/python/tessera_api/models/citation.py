from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Citation")


@_attrs_define
class Citation:
    """`citation`: a passage the answer cites as `[n]`.

    Attributes:
        chunk_id (str):
        document_id (str):
        file_id (str): The stored file the document was read from (to download it).
        heading (str): The heading path of the passage; may be empty.
        n (int):
        snippet (str): The cited text (plain text, no markup).
        title (str):
    """

    chunk_id: str
    document_id: str
    file_id: str
    heading: str
    n: int
    snippet: str
    title: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        chunk_id = self.chunk_id

        document_id = self.document_id

        file_id = self.file_id

        heading = self.heading

        n = self.n

        snippet = self.snippet

        title = self.title

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "chunk_id": chunk_id,
                "document_id": document_id,
                "file_id": file_id,
                "heading": heading,
                "n": n,
                "snippet": snippet,
                "title": title,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        chunk_id = d.pop("chunk_id")

        document_id = d.pop("document_id")

        file_id = d.pop("file_id")

        heading = d.pop("heading")

        n = d.pop("n")

        snippet = d.pop("snippet")

        title = d.pop("title")

        citation = cls(
            chunk_id=chunk_id,
            document_id=document_id,
            file_id=file_id,
            heading=heading,
            n=n,
            snippet=snippet,
            title=title,
        )

        citation.additional_properties = d
        return citation

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
