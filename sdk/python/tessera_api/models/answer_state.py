from enum import StrEnum


class AnswerState(StrEnum):
    COMPLETED = "completed"
    PARTIAL = "partial"
    STREAMING = "streaming"

    def __str__(self) -> str:
        return str(self.value)
