from enum import StrEnum


class AgentStepType4Kind(StrEnum):
    LLM = "llm"

    def __str__(self) -> str:
        return str(self.value)
