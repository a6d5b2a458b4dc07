from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.execute_request_input_type_0 import ExecuteRequestInputType0


T = TypeVar("T", bound="ExecuteRequest")


@_attrs_define
class ExecuteRequest:
    """What to run a trigger with.

    Attributes:
        input_ (ExecuteRequestInputType0 | None | Unset): Any JSON; the steps see it as `input`. Absent means `{}`.
    """

    input_: ExecuteRequestInputType0 | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.execute_request_input_type_0 import ExecuteRequestInputType0

        input_: dict[str, Any] | None | Unset
        if isinstance(self.input_, Unset):
            input_ = UNSET
        elif isinstance(self.input_, ExecuteRequestInputType0):
            input_ = self.input_.to_dict()
        else:
            input_ = self.input_

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if input_ is not UNSET:
            field_dict["input"] = input_

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.execute_request_input_type_0 import ExecuteRequestInputType0

        d = dict(src_dict)

        def _parse_input_(data: object) -> ExecuteRequestInputType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                input_type_0 = ExecuteRequestInputType0.from_dict(data)

                return input_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ExecuteRequestInputType0 | None | Unset, data)

        input_ = _parse_input_(d.pop("input", UNSET))

        execute_request = cls(
            input_=input_,
        )

        return execute_request
