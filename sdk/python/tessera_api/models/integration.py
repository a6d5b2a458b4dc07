from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.integration_kind import IntegrationKind

if TYPE_CHECKING:
    from ..models.integration_secrets import IntegrationSecrets
    from ..models.integration_settings import IntegrationSettings


T = TypeVar("T", bound="Integration")


@_attrs_define
class Integration:
    """
    Attributes:
        created_at_ms (int):
        created_by (str):
        id (str):
        kind (IntegrationKind):
        name (str):
        secrets (IntegrationSecrets): Every secret that is set, by field; never its value.
        settings (IntegrationSettings): The non-secret settings. `http`: `base_url` and plain `headers`; `llm`:
            `base_url` and
            `model`.
        updated_at_ms (int):
        updated_by (str):
    """

    created_at_ms: int
    created_by: str
    id: str
    kind: IntegrationKind
    name: str
    secrets: IntegrationSecrets
    settings: IntegrationSettings
    updated_at_ms: int
    updated_by: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at_ms = self.created_at_ms

        created_by = self.created_by

        id = self.id

        kind = self.kind.value

        name = self.name

        secrets = self.secrets.to_dict()

        settings = self.settings.to_dict()

        updated_at_ms = self.updated_at_ms

        updated_by = self.updated_by

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at_ms": created_at_ms,
                "created_by": created_by,
                "id": id,
                "kind": kind,
                "name": name,
                "secrets": secrets,
                "settings": settings,
                "updated_at_ms": updated_at_ms,
                "updated_by": updated_by,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.integration_secrets import IntegrationSecrets
        from ..models.integration_settings import IntegrationSettings

        d = dict(src_dict)
        created_at_ms = d.pop("created_at_ms")

        created_by = d.pop("created_by")

        id = d.pop("id")

        kind = IntegrationKind(d.pop("kind"))

        name = d.pop("name")

        secrets = IntegrationSecrets.from_dict(d.pop("secrets"))

        settings = IntegrationSettings.from_dict(d.pop("settings"))

        updated_at_ms = d.pop("updated_at_ms")

        updated_by = d.pop("updated_by")

        integration = cls(
            created_at_ms=created_at_ms,
            created_by=created_by,
            id=id,
            kind=kind,
            name=name,
            secrets=secrets,
            settings=settings,
            updated_at_ms=updated_at_ms,
            updated_by=updated_by,
        )

        integration.additional_properties = d
        return integration

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
