from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ConnectionCheckRequest")


@_attrs_define
class ConnectionCheckRequest:
    """Which request Test connection sends through an `http` integration.

    Attributes:
        path (str | Unset): A path under the base URL for a `GET` (`http`); ignored for `llm`, which lists models.
            Default: ''.
    """

    path: str | Unset = ""

    def to_dict(self) -> dict[str, Any]:
        path = self.path

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if path is not UNSET:
            field_dict["path"] = path

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        path = d.pop("path", UNSET)

        connection_check_request = cls(
            path=path,
        )

        return connection_check_request
