from enum import StrEnum


class AgentStepType1Kind(StrEnum):
    TEMPLATE = "template"

    def __str__(self) -> str:
        return str(self.value)
