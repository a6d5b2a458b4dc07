from enum import StrEnum


class FinishReason(StrEnum):
    ERROR = "error"
    NO_ANSWER = "no_answer"
    STOP = "stop"

    def __str__(self) -> str:
        return str(self.value)
