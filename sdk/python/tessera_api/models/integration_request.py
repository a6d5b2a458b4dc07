from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.integration_kind import IntegrationKind
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.integration_request_secrets import IntegrationRequestSecrets
    from ..models.integration_settings import IntegrationSettings


T = TypeVar("T", bound="IntegrationRequest")


@_attrs_define
class IntegrationRequest:
    """An integration to create, or the new state of one. In an update an omitted secret keeps
    its value and `null` clears it.

        Attributes:
            kind (IntegrationKind):
            name (str):
            settings (IntegrationSettings): The non-secret settings. `http`: `base_url` and plain `headers`; `llm`:
                `base_url` and
                `model`.
            secrets (IntegrationRequestSecrets | Unset): Secret field → value: `api_key` for `llm`; for `http`, header names
                whose values are
                secret. Write-only.
    """

    kind: IntegrationKind
    name: str
    settings: IntegrationSettings
    secrets: IntegrationRequestSecrets | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind.value

        name = self.name

        settings = self.settings.to_dict()

        secrets: dict[str, Any] | Unset = UNSET
        if not isinstance(self.secrets, Unset):
            secrets = self.secrets.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "kind": kind,
                "name": name,
                "settings": settings,
            }
        )
        if secrets is not UNSET:
            field_dict["secrets"] = secrets

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.integration_request_secrets import IntegrationRequestSecrets
        from ..models.integration_settings import IntegrationSettings

        d = dict(src_dict)
        kind = IntegrationKind(d.pop("kind"))

        name = d.pop("name")

        settings = IntegrationSettings.from_dict(d.pop("settings"))

        _secrets = d.pop("secrets", UNSET)
        secrets: IntegrationRequestSecrets | Unset
        if isinstance(_secrets, Unset):
            secrets = UNSET
        else:
            secrets = IntegrationRequestSecrets.from_dict(_secrets)

        integration_request = cls(
            kind=kind,
            name=name,
            settings=settings,
            secrets=secrets,
        )

        return integration_request
