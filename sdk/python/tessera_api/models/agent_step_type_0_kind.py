from enum import StrEnum


class AgentStepType0Kind(StrEnum):
    KB_SEARCH = "kb_search"

    def __str__(self) -> str:
        return str(self.value)
