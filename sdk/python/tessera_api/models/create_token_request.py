from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.permissions import Permissions
    from ..models.token_scope_type_0 import TokenScopeType0
    from ..models.token_scope_type_1 import TokenScopeType1
    from ..models.token_scope_type_2 import TokenScopeType2


T = TypeVar("T", bound="CreateTokenRequest")


@_attrs_define
class CreateTokenRequest:
    """A token to create. No `scope` means an account token; no `permissions` means full access
    within the scope. A token can grant neither a wider scope nor more than it holds itself.

        Attributes:
            name (str): Unique in the workspace (case-insensitively); no control characters. The length is the
                domain's `MAX_NAME_CHARS` (a schema attribute takes only a literal; `api_openapi` checks).
            expires_at_ms (int | None | Unset): UTC milliseconds since the epoch, in the future; absent means the token
                never expires.
            permissions (None | Permissions | Unset):
            scope (None | TokenScopeType0 | TokenScopeType1 | TokenScopeType2 | Unset):
    """

    name: str
    expires_at_ms: int | None | Unset = UNSET
    permissions: None | Permissions | Unset = UNSET
    scope: None | TokenScopeType0 | TokenScopeType1 | TokenScopeType2 | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.permissions import Permissions
        from ..models.token_scope_type_0 import TokenScopeType0
        from ..models.token_scope_type_1 import TokenScopeType1
        from ..models.token_scope_type_2 import TokenScopeType2

        name = self.name

        expires_at_ms: int | None | Unset
        if isinstance(self.expires_at_ms, Unset):
            expires_at_ms = UNSET
        else:
            expires_at_ms = self.expires_at_ms

        permissions: dict[str, Any] | None | Unset
        if isinstance(self.permissions, Unset):
            permissions = UNSET
        elif isinstance(self.permissions, Permissions):
            permissions = self.permissions.to_dict()
        else:
            permissions = self.permissions

        scope: dict[str, Any] | None | Unset
        if isinstance(self.scope, Unset):
            scope = UNSET
        elif (
            isinstance(self.scope, TokenScopeType0)
            or isinstance(self.scope, TokenScopeType1)
            or isinstance(self.scope, TokenScopeType2)
        ):
            scope = self.scope.to_dict()
        else:
            scope = self.scope

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
            }
        )
        if expires_at_ms is not UNSET:
            field_dict["expires_at_ms"] = expires_at_ms
        if permissions is not UNSET:
            field_dict["permissions"] = permissions
        if scope is not UNSET:
            field_dict["scope"] = scope

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.permissions import Permissions
        from ..models.token_scope_type_0 import TokenScopeType0
        from ..models.token_scope_type_1 import TokenScopeType1
        from ..models.token_scope_type_2 import TokenScopeType2

        d = dict(src_dict)
        name = d.pop("name")

        def _parse_expires_at_ms(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        expires_at_ms = _parse_expires_at_ms(d.pop("expires_at_ms", UNSET))

        def _parse_permissions(data: object) -> None | Permissions | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                permissions_type_1 = Permissions.from_dict(data)

                return permissions_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Permissions | Unset, data)

        permissions = _parse_permissions(d.pop("permissions", UNSET))

        def _parse_scope(
            data: object,
        ) -> None | TokenScopeType0 | TokenScopeType1 | TokenScopeType2 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
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
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_token_scope_type_2 = TokenScopeType2.from_dict(data)

                return componentsschemas_token_scope_type_2
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(
                None | TokenScopeType0 | TokenScopeType1 | TokenScopeType2 | Unset, data
            )

        scope = _parse_scope(d.pop("scope", UNSET))

        create_token_request = cls(
            name=name,
            expires_at_ms=expires_at_ms,
            permissions=permissions,
            scope=scope,
        )

        return create_token_request
