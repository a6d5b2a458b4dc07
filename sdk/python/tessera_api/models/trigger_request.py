from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.trigger_kind import TriggerKind
from ..types import UNSET, Unset

T = TypeVar("T", bound="TriggerRequest")


@_attrs_define
class TriggerRequest:
    """A trigger to create, or the new state of one (every field is replaced; the kind cannot
    change).

        Attributes:
            agent_id (str):
            environment_id (str):
            kind (TriggerKind): How a trigger starts its agent.
            name (str): Unique in the workspace (case-insensitively); no control characters.
            cron (None | str | Unset): For `schedule`: five fields, minute hour day month weekday (`0 9 * * MON-FRI`), or a
                nickname such as `@daily`.
            enabled (bool | None | Unset): Absent means true.
            time_zone (None | str | Unset): For `schedule`: an IANA time zone the expression is read in; absent means `UTC`.
    """

    agent_id: str
    environment_id: str
    kind: TriggerKind
    name: str
    cron: None | str | Unset = UNSET
    enabled: bool | None | Unset = UNSET
    time_zone: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        agent_id = self.agent_id

        environment_id = self.environment_id

        kind = self.kind.value

        name = self.name

        cron: None | str | Unset
        if isinstance(self.cron, Unset):
            cron = UNSET
        else:
            cron = self.cron

        enabled: bool | None | Unset
        if isinstance(self.enabled, Unset):
            enabled = UNSET
        else:
            enabled = self.enabled

        time_zone: None | str | Unset
        if isinstance(self.time_zone, Unset):
            time_zone = UNSET
        else:
            time_zone = self.time_zone

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "agent_id": agent_id,
                "environment_id": environment_id,
                "kind": kind,
                "name": name,
            }
        )
        if cron is not UNSET:
            field_dict["cron"] = cron
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if time_zone is not UNSET:
            field_dict["time_zone"] = time_zone

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        agent_id = d.pop("agent_id")

        environment_id = d.pop("environment_id")

        kind = TriggerKind(d.pop("kind"))

        name = d.pop("name")

        def _parse_cron(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        cron = _parse_cron(d.pop("cron", UNSET))

        def _parse_enabled(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        enabled = _parse_enabled(d.pop("enabled", UNSET))

        def _parse_time_zone(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        time_zone = _parse_time_zone(d.pop("time_zone", UNSET))

        trigger_request = cls(
            agent_id=agent_id,
            environment_id=environment_id,
            kind=kind,
            name=name,
            cron=cron,
            enabled=enabled,
            time_zone=time_zone,
        )

        return trigger_request
