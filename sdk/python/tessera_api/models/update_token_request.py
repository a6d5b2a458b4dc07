from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.permissions import Permissions


T = TypeVar("T", bound="UpdateTokenRequest")


@_attrs_define
class UpdateTokenRequest:
    """A change to a token: today only narrowing its permissions.

    Attributes:
        permissions (Permissions): A level for each of the nine resources. On the wire a map with every key; in a
            request a
            resource left out is `none`. Unknown keys and levels are refused.
    """

    permissions: Permissions

    def to_dict(self) -> dict[str, Any]:
        permissions = self.permissions.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "permissions": permissions,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.permissions import Permissions

        d = dict(src_dict)
        permissions = Permissions.from_dict(d.pop("permissions"))

        update_token_request = cls(
            permissions=permissions,
        )

        return update_token_request
