from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.agent_config import AgentConfig


T = TypeVar("T", bound="AgentRequest")


@_attrs_define
class AgentRequest:
    """An agent to install, or the new state of one (every field is replaced).

    Attributes:
        name (str): Unique in the workspace (case-insensitively); no control characters.
        version (str): A version label such as `1.4.2`.
        config (AgentConfig | None | Unset):
        description (str | Unset):
    """

    name: str
    version: str
    config: AgentConfig | None | Unset = UNSET
    description: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.agent_config import AgentConfig

        name = self.name

        version = self.version

        config: dict[str, Any] | None | Unset
        if isinstance(self.config, Unset):
            config = UNSET
        elif isinstance(self.config, AgentConfig):
            config = self.config.to_dict()
        else:
            config = self.config

        description = self.description

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "version": version,
            }
        )
        if config is not UNSET:
            field_dict["config"] = config
        if description is not UNSET:
            field_dict["description"] = description

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.agent_config import AgentConfig

        d = dict(src_dict)
        name = d.pop("name")

        version = d.pop("version")

        def _parse_config(data: object) -> AgentConfig | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                config_type_1 = AgentConfig.from_dict(data)

                return config_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AgentConfig | None | Unset, data)

        config = _parse_config(d.pop("config", UNSET))

        description = d.pop("description", UNSET)

        agent_request = cls(
            name=name,
            version=version,
            config=config,
            description=description,
        )

        return agent_request
