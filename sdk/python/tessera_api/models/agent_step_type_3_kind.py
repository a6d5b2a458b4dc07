from enum import StrEnum


class AgentStepType3Kind(StrEnum):
    ASSISTANT_ANSWER = "assistant_answer"

    def __str__(self) -> str:
        return str(self.value)
