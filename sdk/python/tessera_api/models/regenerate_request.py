from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.grace_period import GracePeriod
from ..types import UNSET, Unset

T = TypeVar("T", bound="RegenerateRequest")


@_attrs_define
class RegenerateRequest:
    """How long the replaced value keeps working; absent means not at all.

    Attributes:
        grace (GracePeriod | Unset): How long the old value keeps working after a regeneration, chosen in the dialog.
    """

    grace: GracePeriod | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        grace: str | Unset = UNSET
        if not isinstance(self.grace, Unset):
            grace = self.grace.value

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if grace is not UNSET:
            field_dict["grace"] = grace

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        _grace = d.pop("grace", UNSET)
        grace: GracePeriod | Unset
        if isinstance(_grace, Unset):
            grace = UNSET
        else:
            grace = GracePeriod(_grace)

        regenerate_request = cls(
            grace=grace,
        )

        return regenerate_request
