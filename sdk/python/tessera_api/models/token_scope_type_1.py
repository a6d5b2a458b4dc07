from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.token_scope_type_1_kind import TokenScopeType1Kind

T = TypeVar("T", bound="TokenScopeType1")


@_attrs_define
class TokenScopeType1:
    """One environment of the workspace.

    Attributes:
        environment_id (str):
        kind (TokenScopeType1Kind):
    """

    environment_id: str
    kind: TokenScopeType1Kind
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        environment_id = self.environment_id

        kind = self.kind.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "environment_id": environment_id,
                "kind": kind,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        environment_id = d.pop("environment_id")

        kind = TokenScopeType1Kind(d.pop("kind"))

        token_scope_type_1 = cls(
            environment_id=environment_id,
            kind=kind,
        )

        token_scope_type_1.additional_properties = d
        return token_scope_type_1

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
