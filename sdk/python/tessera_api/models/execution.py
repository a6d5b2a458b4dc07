from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.execution_status import ExecutionStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.step_log_entry import StepLogEntry


T = TypeVar("T", bound="Execution")


@_attrs_define
class Execution:
    """An execution as both doors show it.

    Attributes:
        agent_id (str):
        attempts (int): Attempts started so far (an attempt is retried when its instance dies).
        cancel_requested (bool): Cancel was asked while it ran; it stops at the next step boundary.
        created_at_ms (int):
        environment_id (str):
        id (str):
        input_ (Any): What the execution was started with: any JSON.
        status (ExecutionStatus): Where an execution is in its life: `queued → running → succeeded | failed | canceled |
            timed_out`. A running execution that loses its instance goes back to `queued` for
            another attempt.
        trigger_name (str): The trigger's name when it started the execution.
        error (None | str | Unset):
        finished_at_ms (int | None | Unset):
        output (Any | Unset): The last step's output, once succeeded: any JSON (a template step's is a string).
        started_at_ms (int | None | Unset):
        steps (list[StepLogEntry] | None | Unset): Present in details, absent in lists.
        trigger_id (None | str | Unset): The trigger that started it; absent once that trigger is deleted.
    """

    agent_id: str
    attempts: int
    cancel_requested: bool
    created_at_ms: int
    environment_id: str
    id: str
    input_: Any
    status: ExecutionStatus
    trigger_name: str
    error: None | str | Unset = UNSET
    finished_at_ms: int | None | Unset = UNSET
    output: Any | Unset = UNSET
    started_at_ms: int | None | Unset = UNSET
    steps: list[StepLogEntry] | None | Unset = UNSET
    trigger_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        agent_id = self.agent_id

        attempts = self.attempts

        cancel_requested = self.cancel_requested

        created_at_ms = self.created_at_ms

        environment_id = self.environment_id

        id = self.id

        input_ = self.input_

        status = self.status.value

        trigger_name = self.trigger_name

        error: None | str | Unset
        if isinstance(self.error, Unset):
            error = UNSET
        else:
            error = self.error

        finished_at_ms: int | None | Unset
        if isinstance(self.finished_at_ms, Unset):
            finished_at_ms = UNSET
        else:
            finished_at_ms = self.finished_at_ms

        output = self.output

        started_at_ms: int | None | Unset
        if isinstance(self.started_at_ms, Unset):
            started_at_ms = UNSET
        else:
            started_at_ms = self.started_at_ms

        steps: list[dict[str, Any]] | None | Unset
        if isinstance(self.steps, Unset):
            steps = UNSET
        elif isinstance(self.steps, list):
            steps = []
            for steps_type_0_item_data in self.steps:
                steps_type_0_item = steps_type_0_item_data.to_dict()
                steps.append(steps_type_0_item)

        else:
            steps = self.steps

        trigger_id: None | str | Unset
        if isinstance(self.trigger_id, Unset):
            trigger_id = UNSET
        else:
            trigger_id = self.trigger_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "agent_id": agent_id,
                "attempts": attempts,
                "cancel_requested": cancel_requested,
                "created_at_ms": created_at_ms,
                "environment_id": environment_id,
                "id": id,
                "input": input_,
                "status": status,
                "trigger_name": trigger_name,
            }
        )
        if error is not UNSET:
            field_dict["error"] = error
        if finished_at_ms is not UNSET:
            field_dict["finished_at_ms"] = finished_at_ms
        if output is not UNSET:
            field_dict["output"] = output
        if started_at_ms is not UNSET:
            field_dict["started_at_ms"] = started_at_ms
        if steps is not UNSET:
            field_dict["steps"] = steps
        if trigger_id is not UNSET:
            field_dict["trigger_id"] = trigger_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.step_log_entry import StepLogEntry

        d = dict(src_dict)
        agent_id = d.pop("agent_id")

        attempts = d.pop("attempts")

        cancel_requested = d.pop("cancel_requested")

        created_at_ms = d.pop("created_at_ms")

        environment_id = d.pop("environment_id")

        id = d.pop("id")

        input_ = d.pop("input")

        status = ExecutionStatus(d.pop("status"))

        trigger_name = d.pop("trigger_name")

        def _parse_error(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        error = _parse_error(d.pop("error", UNSET))

        def _parse_finished_at_ms(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        finished_at_ms = _parse_finished_at_ms(d.pop("finished_at_ms", UNSET))

        output = d.pop("output", UNSET)

        def _parse_started_at_ms(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        started_at_ms = _parse_started_at_ms(d.pop("started_at_ms", UNSET))

        def _parse_steps(data: object) -> list[StepLogEntry] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                steps_type_0 = []
                _steps_type_0 = data
                for steps_type_0_item_data in _steps_type_0:
                    steps_type_0_item = StepLogEntry.from_dict(steps_type_0_item_data)

                    steps_type_0.append(steps_type_0_item)

                return steps_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[StepLogEntry] | None | Unset, data)

        steps = _parse_steps(d.pop("steps", UNSET))

        def _parse_trigger_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        trigger_id = _parse_trigger_id(d.pop("trigger_id", UNSET))

        execution = cls(
            agent_id=agent_id,
            attempts=attempts,
            cancel_requested=cancel_requested,
            created_at_ms=created_at_ms,
            environment_id=environment_id,
            id=id,
            input_=input_,
            status=status,
            trigger_name=trigger_name,
            error=error,
            finished_at_ms=finished_at_ms,
            output=output,
            started_at_ms=started_at_ms,
            steps=steps,
            trigger_id=trigger_id,
        )

        execution.additional_properties = d
        return execution

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
