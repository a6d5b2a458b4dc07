from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="StepLogEntry")


@_attrs_define
class StepLogEntry:
    """One step of an execution's log.

    Attributes:
        kind (str):
        started_at_ms (int):
        status (str): `running`, `succeeded`, `failed`, `canceled` or `timed_out`.
        step_id (str): The step's `id` in the agent's config.
        truncated (bool):
        duration_ms (int | None | Unset): Absent while the step runs.
        error (None | str | Unset):
        output (None | str | Unset): The step's output as JSON text, cut to 4 KiB (`truncated` says so).
    """

    kind: str
    started_at_ms: int
    status: str
    step_id: str
    truncated: bool
    duration_ms: int | None | Unset = UNSET
    error: None | str | Unset = UNSET
    output: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind

        started_at_ms = self.started_at_ms

        status = self.status

        step_id = self.step_id

        truncated = self.truncated

        duration_ms: int | None | Unset
        if isinstance(self.duration_ms, Unset):
            duration_ms = UNSET
        else:
            duration_ms = self.duration_ms

        error: None | str | Unset
        if isinstance(self.error, Unset):
            error = UNSET
        else:
            error = self.error

        output: None | str | Unset
        if isinstance(self.output, Unset):
            output = UNSET
        else:
            output = self.output

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "kind": kind,
                "started_at_ms": started_at_ms,
                "status": status,
                "step_id": step_id,
                "truncated": truncated,
            }
        )
        if duration_ms is not UNSET:
            field_dict["duration_ms"] = duration_ms
        if error is not UNSET:
            field_dict["error"] = error
        if output is not UNSET:
            field_dict["output"] = output

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        kind = d.pop("kind")

        started_at_ms = d.pop("started_at_ms")

        status = d.pop("status")

        step_id = d.pop("step_id")

        truncated = d.pop("truncated")

        def _parse_duration_ms(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        duration_ms = _parse_duration_ms(d.pop("duration_ms", UNSET))

        def _parse_error(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        error = _parse_error(d.pop("error", UNSET))

        def _parse_output(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        output = _parse_output(d.pop("output", UNSET))

        step_log_entry = cls(
            kind=kind,
            started_at_ms=started_at_ms,
            status=status,
            step_id=step_id,
            truncated=truncated,
            duration_ms=duration_ms,
            error=error,
            output=output,
        )

        step_log_entry.additional_properties = d
        return step_log_entry

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
