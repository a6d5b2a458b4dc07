from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.integration_settings_headers import IntegrationSettingsHeaders


T = TypeVar("T", bound="IntegrationSettings")


@_attrs_define
class IntegrationSettings:
    """The non-secret settings. `http`: `base_url` and plain `headers`; `llm`: `base_url` and
    `model`.

        Attributes:
            base_url (str): `http://` or `https://`, without credentials in it.
            headers (IntegrationSettingsHeaders | Unset): Header name → value, sent with every request (`http` only). Secret
                headers go in
                `secrets` instead.
            model (None | str | Unset): The model name (`llm` only).
    """

    base_url: str
    headers: IntegrationSettingsHeaders | Unset = UNSET
    model: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        base_url = self.base_url

        headers: dict[str, Any] | Unset = UNSET
        if not isinstance(self.headers, Unset):
            headers = self.headers.to_dict()

        model: None | str | Unset
        if isinstance(self.model, Unset):
            model = UNSET
        else:
            model = self.model

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "base_url": base_url,
            }
        )
        if headers is not UNSET:
            field_dict["headers"] = headers
        if model is not UNSET:
            field_dict["model"] = model

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.integration_settings_headers import IntegrationSettingsHeaders

        d = dict(src_dict)
        base_url = d.pop("base_url")

        _headers = d.pop("headers", UNSET)
        headers: IntegrationSettingsHeaders | Unset
        if isinstance(_headers, Unset):
            headers = UNSET
        else:
            headers = IntegrationSettingsHeaders.from_dict(_headers)

        def _parse_model(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        model = _parse_model(d.pop("model", UNSET))

        integration_settings = cls(
            base_url=base_url,
            headers=headers,
            model=model,
        )

        return integration_settings
