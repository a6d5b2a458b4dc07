from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.permissions import Permissions
    from ..models.token_scope_type_0 import TokenScopeType0
    from ..models.token_scope_type_1 import TokenScopeType1
    from ..models.token_scope_type_2 import TokenScopeType2


T = TypeVar("T", bound="TokenSelf")


@_attrs_define
class TokenSelf:
    """The calling token as it sees itself. Answered from the authenticated principal alone: no
    database work beyond authentication.

        Attributes:
            id (str):
            name (str):
            permissions (Permissions): A level for each of the nine resources. On the wire a map with every key; in a
                request a
                resource left out is `none`. Unknown keys and levels are refused.
            scope (TokenScopeType0 | TokenScopeType1 | TokenScopeType2): What a token may reach. Internally tagged so the
                JSON reads
                `{"kind":"environment","environment_id":"…"}` for REST clients too.
            workspace_id (str):
    """

    id: str
    name: str
    permissions: Permissions
    scope: TokenScopeType0 | TokenScopeType1 | TokenScopeType2
    workspace_id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.token_scope_type_0 import TokenScopeType0
        from ..models.token_scope_type_1 import TokenScopeType1

        id = self.id

        name = self.name

        permissions = self.permissions.to_dict()

        scope: dict[str, Any]
        if isinstance(self.scope, TokenScopeType0) or isinstance(
            self.scope, TokenScopeType1
        ):
            scope = self.scope.to_dict()
        else:
            scope = self.scope.to_dict()

        workspace_id = self.workspace_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "permissions": permissions,
                "scope": scope,
                "workspace_id": workspace_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.permissions import Permissions
        from ..models.token_scope_type_0 import TokenScopeType0
        from ..models.token_scope_type_1 import TokenScopeType1
        from ..models.token_scope_type_2 import TokenScopeType2

        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        permissions = Permissions.from_dict(d.pop("permissions"))

        def _parse_scope(
            data: object,
        ) -> TokenScopeType0 | TokenScopeType1 | TokenScopeType2:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_token_scope_type_0 = TokenScopeType0.from_dict(data)

                return componentsschemas_token_scope_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_token_scope_type_1 = TokenScopeType1.from_dict(data)

                return componentsschemas_token_scope_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_token_scope_type_2 = TokenScopeType2.from_dict(data)

            return componentsschemas_token_scope_type_2

        scope = _parse_scope(d.pop("scope"))

        workspace_id = d.pop("workspace_id")

        token_self = cls(
            id=id,
            name=name,
            permissions=permissions,
            scope=scope,
            workspace_id=workspace_id,
        )

        token_self.additional_properties = d
        return token_self

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
