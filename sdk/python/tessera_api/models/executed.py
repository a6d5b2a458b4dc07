from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.execution import Execution


T = TypeVar("T", bound="Executed")


@_attrs_define
class Executed:
    """What `execute` answers: the execution it started (or, for a repeated idempotency key, the
    one it started before).

        Attributes:
            execution (Execution): An execution as both doors show it.
            execution_id (str):
    """

    execution: Execution
    execution_id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        execution = self.execution.to_dict()

        execution_id = self.execution_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "execution": execution,
                "execution_id": execution_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.execution import Execution

        d = dict(src_dict)
        execution = Execution.from_dict(d.pop("execution"))

        execution_id = d.pop("execution_id")

        executed = cls(
            execution=execution,
            execution_id=execution_id,
        )

        executed.additional_properties = d
        return executed

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
