from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="SearchHit")


@_attrs_define
class SearchHit:
    """A passage that matches, best first.

    Attributes:
        chunk_id (str):
        document_id (str):
        file_id (str):
        heading (str): The heading path the passage sits under ("Input and Output › Reading files"); may be
            empty.
        highlights (list[list[int]]): `[start, end)` ranges of `snippet` that matched, in Unicode characters (code
            points).
        score (float): Higher is better; comparable within one answer only.
        snippet (str): Plain text around the best match (no markup).
        title (str):
    """

    chunk_id: str
    document_id: str
    file_id: str
    heading: str
    highlights: list[list[int]]
    score: float
    snippet: str
    title: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        chunk_id = self.chunk_id

        document_id = self.document_id

        file_id = self.file_id

        heading = self.heading

        highlights = []
        for highlights_item_data in self.highlights:
            highlights_item = highlights_item_data

            highlights.append(highlights_item)

        score = self.score

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
                "highlights": highlights,
                "score": score,
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

        highlights = []
        _highlights = d.pop("highlights")
        for highlights_item_data in _highlights:
            highlights_item = cast(list[int], highlights_item_data)

            highlights.append(highlights_item)

        score = d.pop("score")

        snippet = d.pop("snippet")

        title = d.pop("title")

        search_hit = cls(
            chunk_id=chunk_id,
            document_id=document_id,
            file_id=file_id,
            heading=heading,
            highlights=highlights,
            score=score,
            snippet=snippet,
            title=title,
        )

        search_hit.additional_properties = d
        return search_hit

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
