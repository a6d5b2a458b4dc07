from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.agent_step_type_2_kind import AgentStepType2Kind
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.agent_step_headers import AgentStepHeaders


T = TypeVar("T", bound="AgentStepType2")


@_attrs_define
class AgentStepType2:
    """Calls an `http` integration (by id or name); its secrets are added as headers at run
    time and never logged.

        Attributes:
            id (str):
            integration (str):
            kind (AgentStepType2Kind):
            path (str): A template starting with `/`, under the integration's base URL.
            body (None | str | Unset): A template.
            headers (AgentStepHeaders | None | Unset):
            method (None | str | Unset): GET (the default), POST, PUT, PATCH or DELETE.
    """

    id: str
    integration: str
    kind: AgentStepType2Kind
    path: str
    body: None | str | Unset = UNSET
    headers: AgentStepHeaders | None | Unset = UNSET
    method: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.agent_step_headers import AgentStepHeaders

        id = self.id

        integration = self.integration

        kind = self.kind.value

        path = self.path

        body: None | str | Unset
        if isinstance(self.body, Unset):
            body = UNSET
        else:
            body = self.body

        headers: dict[str, Any] | None | Unset
        if isinstance(self.headers, Unset):
            headers = UNSET
        elif isinstance(self.headers, AgentStepHeaders):
            headers = self.headers.to_dict()
        else:
            headers = self.headers

        method: None | str | Unset
        if isinstance(self.method, Unset):
            method = UNSET
        else:
            method = self.method

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "integration": integration,
                "kind": kind,
                "path": path,
            }
        )
        if body is not UNSET:
            field_dict["body"] = body
        if headers is not UNSET:
            field_dict["headers"] = headers
        if method is not UNSET:
            field_dict["method"] = method

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.agent_step_headers import AgentStepHeaders

        d = dict(src_dict)
        id = d.pop("id")

        integration = d.pop("integration")

        kind = AgentStepType2Kind(d.pop("kind"))

        path = d.pop("path")

        def _parse_body(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        body = _parse_body(d.pop("body", UNSET))

        def _parse_headers(data: object) -> AgentStepHeaders | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                headers_type_1 = AgentStepHeaders.from_dict(data)

                return headers_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AgentStepHeaders | None | Unset, data)

        headers = _parse_headers(d.pop("headers", UNSET))

        def _parse_method(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        method = _parse_method(d.pop("method", UNSET))

        agent_step_type_2 = cls(
            id=id,
            integration=integration,
            kind=kind,
            path=path,
            body=body,
            headers=headers,
            method=method,
        )

        agent_step_type_2.additional_properties = d
        return agent_step_type_2

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
