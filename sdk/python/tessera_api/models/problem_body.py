from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.b_tree_map import BTreeMap


T = TypeVar("T", bound="ProblemBody")


@_attrs_define
class ProblemBody:
    """The JSON body of every error answer (RFC 9457); public so the OpenAPI document describes it.

    Attributes:
        detail (str): What went wrong, for people. Never internals.
        status (int):
        title (str): The HTTP status text.
        type_ (str): A stable URI naming the kind of problem, e.g. `https://tessera.dev/problems/invalid-token`.
        errors (BTreeMap | None | Unset):
        required (None | str | Unset): For `insufficient-scope` refusals: the permission the request needed (or that a
            grant
            exceeded), as `<resource>:<level>`, e.g. `agents:write`.
    """

    detail: str
    status: int
    title: str
    type_: str
    errors: BTreeMap | None | Unset = UNSET
    required: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.b_tree_map import BTreeMap

        detail = self.detail

        status = self.status

        title = self.title

        type_ = self.type_

        errors: dict[str, Any] | None | Unset
        if isinstance(self.errors, Unset):
            errors = UNSET
        elif isinstance(self.errors, BTreeMap):
            errors = self.errors.to_dict()
        else:
            errors = self.errors

        required: None | str | Unset
        if isinstance(self.required, Unset):
            required = UNSET
        else:
            required = self.required

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "detail": detail,
                "status": status,
                "title": title,
                "type": type_,
            }
        )
        if errors is not UNSET:
            field_dict["errors"] = errors
        if required is not UNSET:
            field_dict["required"] = required

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.b_tree_map import BTreeMap

        d = dict(src_dict)
        detail = d.pop("detail")

        status = d.pop("status")

        title = d.pop("title")

        type_ = d.pop("type")

        def _parse_errors(data: object) -> BTreeMap | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                errors_type_1 = BTreeMap.from_dict(data)

                return errors_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(BTreeMap | None | Unset, data)

        errors = _parse_errors(d.pop("errors", UNSET))

        def _parse_required(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        required = _parse_required(d.pop("required", UNSET))

        problem_body = cls(
            detail=detail,
            status=status,
            title=title,
            type_=type_,
            errors=errors,
            required=required,
        )

        problem_body.additional_properties = d
        return problem_body

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
