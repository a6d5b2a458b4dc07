from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.trigger_kind import TriggerKind
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.execution import Execution


T = TypeVar("T", bound="Trigger")


@_attrs_define
class Trigger:
    """A trigger as both doors show it.

    Attributes:
        agent_id (str):
        created_at_ms (int):
        enabled (bool): A disabled trigger starts nothing.
        environment_id (str):
        id (str):
        kind (TriggerKind): How a trigger starts its agent.
        name (str):
        updated_at_ms (int):
        cron (None | str | Unset): A schedule trigger's cron expression (five fields) and IANA time zone.
        next_fire_at_ms (int | None | Unset): When an enabled schedule trigger fires next (ms since 1970, UTC).
        recent_executions (list[Execution] | None | Unset): In details: the latest executions it started, newest first
            (when the caller may read
            executions there). Absent in lists.
        schedule_description (None | str | Unset): A schedule trigger's expression in words ("At 09:00 on Monday through
            Friday").
        signing_secret (None | str | Unset): A webhook trigger's signing secret (`whsec_…`), in the answer that created
            or rotated
            it and never again: store it now.
        time_zone (None | str | Unset):
        upcoming_fire_times_ms (list[int] | None | Unset): In details: its next five fire times.
        webhook_path (None | str | Unset): A webhook trigger's address: `POST` events here (`/api/webhook/{id}`).
    """

    agent_id: str
    created_at_ms: int
    enabled: bool
    environment_id: str
    id: str
    kind: TriggerKind
    name: str
    updated_at_ms: int
    cron: None | str | Unset = UNSET
    next_fire_at_ms: int | None | Unset = UNSET
    recent_executions: list[Execution] | None | Unset = UNSET
    schedule_description: None | str | Unset = UNSET
    signing_secret: None | str | Unset = UNSET
    time_zone: None | str | Unset = UNSET
    upcoming_fire_times_ms: list[int] | None | Unset = UNSET
    webhook_path: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        agent_id = self.agent_id

        created_at_ms = self.created_at_ms

        enabled = self.enabled

        environment_id = self.environment_id

        id = self.id

        kind = self.kind.value

        name = self.name

        updated_at_ms = self.updated_at_ms

        cron: None | str | Unset
        if isinstance(self.cron, Unset):
            cron = UNSET
        else:
            cron = self.cron

        next_fire_at_ms: int | None | Unset
        if isinstance(self.next_fire_at_ms, Unset):
            next_fire_at_ms = UNSET
        else:
            next_fire_at_ms = self.next_fire_at_ms

        recent_executions: list[dict[str, Any]] | None | Unset
        if isinstance(self.recent_executions, Unset):
            recent_executions = UNSET
        elif isinstance(self.recent_executions, list):
            recent_executions = []
            for recent_executions_type_0_item_data in self.recent_executions:
                recent_executions_type_0_item = (
                    recent_executions_type_0_item_data.to_dict()
                )
                recent_executions.append(recent_executions_type_0_item)

        else:
            recent_executions = self.recent_executions

        schedule_description: None | str | Unset
        if isinstance(self.schedule_description, Unset):
            schedule_description = UNSET
        else:
            schedule_description = self.schedule_description

        signing_secret: None | str | Unset
        if isinstance(self.signing_secret, Unset):
            signing_secret = UNSET
        else:
            signing_secret = self.signing_secret

        time_zone: None | str | Unset
        if isinstance(self.time_zone, Unset):
            time_zone = UNSET
        else:
            time_zone = self.time_zone

        upcoming_fire_times_ms: list[int] | None | Unset
        if isinstance(self.upcoming_fire_times_ms, Unset):
            upcoming_fire_times_ms = UNSET
        elif isinstance(self.upcoming_fire_times_ms, list):
            upcoming_fire_times_ms = self.upcoming_fire_times_ms

        else:
            upcoming_fire_times_ms = self.upcoming_fire_times_ms

        webhook_path: None | str | Unset
        if isinstance(self.webhook_path, Unset):
            webhook_path = UNSET
        else:
            webhook_path = self.webhook_path

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "agent_id": agent_id,
                "created_at_ms": created_at_ms,
                "enabled": enabled,
                "environment_id": environment_id,
                "id": id,
                "kind": kind,
                "name": name,
                "updated_at_ms": updated_at_ms,
            }
        )
        if cron is not UNSET:
            field_dict["cron"] = cron
        if next_fire_at_ms is not UNSET:
            field_dict["next_fire_at_ms"] = next_fire_at_ms
        if recent_executions is not UNSET:
            field_dict["recent_executions"] = recent_executions
        if schedule_description is not UNSET:
            field_dict["schedule_description"] = schedule_description
        if signing_secret is not UNSET:
            field_dict["signing_secret"] = signing_secret
        if time_zone is not UNSET:
            field_dict["time_zone"] = time_zone
        if upcoming_fire_times_ms is not UNSET:
            field_dict["upcoming_fire_times_ms"] = upcoming_fire_times_ms
        if webhook_path is not UNSET:
            field_dict["webhook_path"] = webhook_path

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.execution import Execution

        d = dict(src_dict)
        agent_id = d.pop("agent_id")

        created_at_ms = d.pop("created_at_ms")

        enabled = d.pop("enabled")

        environment_id = d.pop("environment_id")

        id = d.pop("id")

        kind = TriggerKind(d.pop("kind"))

        name = d.pop("name")

        updated_at_ms = d.pop("updated_at_ms")

        def _parse_cron(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        cron = _parse_cron(d.pop("cron", UNSET))

        def _parse_next_fire_at_ms(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        next_fire_at_ms = _parse_next_fire_at_ms(d.pop("next_fire_at_ms", UNSET))

        def _parse_recent_executions(data: object) -> list[Execution] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                recent_executions_type_0 = []
                _recent_executions_type_0 = data
                for recent_executions_type_0_item_data in _recent_executions_type_0:
                    recent_executions_type_0_item = Execution.from_dict(
                        recent_executions_type_0_item_data
                    )

                    recent_executions_type_0.append(recent_executions_type_0_item)

                return recent_executions_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[Execution] | None | Unset, data)

        recent_executions = _parse_recent_executions(d.pop("recent_executions", UNSET))

        def _parse_schedule_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        schedule_description = _parse_schedule_description(
            d.pop("schedule_description", UNSET)
        )

        def _parse_signing_secret(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        signing_secret = _parse_signing_secret(d.pop("signing_secret", UNSET))

        def _parse_time_zone(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        time_zone = _parse_time_zone(d.pop("time_zone", UNSET))

        def _parse_upcoming_fire_times_ms(data: object) -> list[int] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                upcoming_fire_times_ms_type_0 = cast(list[int], data)

                return upcoming_fire_times_ms_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[int] | None | Unset, data)

        upcoming_fire_times_ms = _parse_upcoming_fire_times_ms(
            d.pop("upcoming_fire_times_ms", UNSET)
        )

        def _parse_webhook_path(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        webhook_path = _parse_webhook_path(d.pop("webhook_path", UNSET))

        trigger = cls(
            agent_id=agent_id,
            created_at_ms=created_at_ms,
            enabled=enabled,
            environment_id=environment_id,
            id=id,
            kind=kind,
            name=name,
            updated_at_ms=updated_at_ms,
            cron=cron,
            next_fire_at_ms=next_fire_at_ms,
            recent_executions=recent_executions,
            schedule_description=schedule_description,
            signing_secret=signing_secret,
            time_zone=time_zone,
            upcoming_fire_times_ms=upcoming_fire_times_ms,
            webhook_path=webhook_path,
        )

        trigger.additional_properties = d
        return trigger

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
