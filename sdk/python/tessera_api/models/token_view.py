from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.effective_status import EffectiveStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.permissions import Permissions
    from ..models.token_scope_type_0 import TokenScopeType0
    from ..models.token_scope_type_1 import TokenScopeType1
    from ..models.token_scope_type_2 import TokenScopeType2


T = TypeVar("T", bound="TokenView")


@_attrs_define
class TokenView:
    """One token as the browser (and REST clients) see it: never the secret, never the hash.
    Times are UTC milliseconds since the Unix epoch; the browser formats them locally.

        Attributes:
            created_at_ms (int):
            created_by (str): Display name (or email) of the user who created the token.
            id (str):
            name (str):
            permissions (Permissions): A level for each of the nine resources. On the wire a map with every key; in a
                request a
                resource left out is `none`. Unknown keys and levels are refused.
            prefix (str): The first 8 characters of the token (`tsr_Ab3x`), enough to recognise it.
            scope (TokenScopeType0 | TokenScopeType1 | TokenScopeType2): What a token may reach. Internally tagged so the
                JSON reads
                `{"kind":"environment","environment_id":"…"}` for REST clients too.
            scope_label (str): The scope as people read it, resolved on the server where the names are known.
            status (EffectiveStatus): The status a person sees and that authentication obeys: the stored status with expiry
                applied.
            usage_count (int): Number of API calls authenticated with this token.
            expires_at_ms (int | None | Unset): `None` means the token never expires.
            last_used_at_ms (int | None | Unset): `None` means the token has never been used.
            previous_valid_until_ms (int | None | Unset): After "Regenerate" with a grace period: until when the replaced
                value still works.
                `None` when no replaced value works any more (or the token itself works no more).
    """

    created_at_ms: int
    created_by: str
    id: str
    name: str
    permissions: Permissions
    prefix: str
    scope: TokenScopeType0 | TokenScopeType1 | TokenScopeType2
    scope_label: str
    status: EffectiveStatus
    usage_count: int
    expires_at_ms: int | None | Unset = UNSET
    last_used_at_ms: int | None | Unset = UNSET
    previous_valid_until_ms: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.token_scope_type_0 import TokenScopeType0
        from ..models.token_scope_type_1 import TokenScopeType1

        created_at_ms = self.created_at_ms

        created_by = self.created_by

        id = self.id

        name = self.name

        permissions = self.permissions.to_dict()

        prefix = self.prefix

        scope: dict[str, Any]
        if isinstance(self.scope, TokenScopeType0) or isinstance(
            self.scope, TokenScopeType1
        ):
            scope = self.scope.to_dict()
        else:
            scope = self.scope.to_dict()

        scope_label = self.scope_label

        status = self.status.value

        usage_count = self.usage_count

        expires_at_ms: int | None | Unset
        if isinstance(self.expires_at_ms, Unset):
            expires_at_ms = UNSET
        else:
            expires_at_ms = self.expires_at_ms

        last_used_at_ms: int | None | Unset
        if isinstance(self.last_used_at_ms, Unset):
            last_used_at_ms = UNSET
        else:
            last_used_at_ms = self.last_used_at_ms

        previous_valid_until_ms: int | None | Unset
        if isinstance(self.previous_valid_until_ms, Unset):
            previous_valid_until_ms = UNSET
        else:
            previous_valid_until_ms = self.previous_valid_until_ms

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at_ms": created_at_ms,
                "created_by": created_by,
                "id": id,
                "name": name,
                "permissions": permissions,
                "prefix": prefix,
                "scope": scope,
                "scope_label": scope_label,
                "status": status,
                "usage_count": usage_count,
            }
        )
        if expires_at_ms is not UNSET:
            field_dict["expires_at_ms"] = expires_at_ms
        if last_used_at_ms is not UNSET:
            field_dict["last_used_at_ms"] = last_used_at_ms
        if previous_valid_until_ms is not UNSET:
            field_dict["previous_valid_until_ms"] = previous_valid_until_ms

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.permissions import Permissions
        from ..models.token_scope_type_0 import TokenScopeType0
        from ..models.token_scope_type_1 import TokenScopeType1
        from ..models.token_scope_type_2 import TokenScopeType2

        d = dict(src_dict)
        created_at_ms = d.pop("created_at_ms")

        created_by = d.pop("created_by")

        id = d.pop("id")

        name = d.pop("name")

        permissions = Permissions.from_dict(d.pop("permissions"))

        prefix = d.pop("prefix")

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

        scope_label = d.pop("scope_label")

        status = EffectiveStatus(d.pop("status"))

        usage_count = d.pop("usage_count")

        def _parse_expires_at_ms(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        expires_at_ms = _parse_expires_at_ms(d.pop("expires_at_ms", UNSET))

        def _parse_last_used_at_ms(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        last_used_at_ms = _parse_last_used_at_ms(d.pop("last_used_at_ms", UNSET))

        def _parse_previous_valid_until_ms(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        previous_valid_until_ms = _parse_previous_valid_until_ms(
            d.pop("previous_valid_until_ms", UNSET)
        )

        token_view = cls(
            created_at_ms=created_at_ms,
            created_by=created_by,
            id=id,
            name=name,
            permissions=permissions,
            prefix=prefix,
            scope=scope,
            scope_label=scope_label,
            status=status,
            usage_count=usage_count,
            expires_at_ms=expires_at_ms,
            last_used_at_ms=last_used_at_ms,
            previous_valid_until_ms=previous_valid_until_ms,
        )

        token_view.additional_properties = d
        return token_view

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
