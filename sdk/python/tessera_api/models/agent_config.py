from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.agent_step_type_0 import AgentStepType0
    from ..models.agent_step_type_1 import AgentStepType1
    from ..models.agent_step_type_2 import AgentStepType2
    from ..models.agent_step_type_3 import AgentStepType3
    from ..models.agent_step_type_4 import AgentStepType4


T = TypeVar("T", bound="AgentConfig")


@_attrs_define
class AgentConfig:
    """What an agent does (docs/agent-config.md): its steps, run in order, each seeing the
    execution's `input` and the earlier steps' outputs (`steps.<id>`) in its templates
    (minijinja, sandboxed: no I/O).

        Attributes:
            steps (list[AgentStepType0 | AgentStepType1 | AgentStepType2 | AgentStepType3 | AgentStepType4]): At most 20.
    """

    steps: list[
        AgentStepType0
        | AgentStepType1
        | AgentStepType2
        | AgentStepType3
        | AgentStepType4
    ]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.agent_step_type_0 import AgentStepType0
        from ..models.agent_step_type_1 import AgentStepType1
        from ..models.agent_step_type_2 import AgentStepType2
        from ..models.agent_step_type_3 import AgentStepType3

        steps = []
        for steps_item_data in self.steps:
            steps_item: dict[str, Any]
            if (
                isinstance(steps_item_data, AgentStepType0)
                or isinstance(steps_item_data, AgentStepType1)
                or isinstance(steps_item_data, AgentStepType2)
                or isinstance(steps_item_data, AgentStepType3)
            ):
                steps_item = steps_item_data.to_dict()
            else:
                steps_item = steps_item_data.to_dict()

            steps.append(steps_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "steps": steps,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.agent_step_type_0 import AgentStepType0
        from ..models.agent_step_type_1 import AgentStepType1
        from ..models.agent_step_type_2 import AgentStepType2
        from ..models.agent_step_type_3 import AgentStepType3
        from ..models.agent_step_type_4 import AgentStepType4

        d = dict(src_dict)
        steps = []
        _steps = d.pop("steps")
        for steps_item_data in _steps:

            def _parse_steps_item(
                data: object,
            ) -> (
                AgentStepType0
                | AgentStepType1
                | AgentStepType2
                | AgentStepType3
                | AgentStepType4
            ):
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_agent_step_type_0 = AgentStepType0.from_dict(data)

                    return componentsschemas_agent_step_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_agent_step_type_1 = AgentStepType1.from_dict(data)

                    return componentsschemas_agent_step_type_1
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_agent_step_type_2 = AgentStepType2.from_dict(data)

                    return componentsschemas_agent_step_type_2
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_agent_step_type_3 = AgentStepType3.from_dict(data)

                    return componentsschemas_agent_step_type_3
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_agent_step_type_4 = AgentStepType4.from_dict(data)

                return componentsschemas_agent_step_type_4

            steps_item = _parse_steps_item(steps_item_data)

            steps.append(steps_item)

        agent_config = cls(
            steps=steps,
        )

        agent_config.additional_properties = d
        return agent_config

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
