from enum import StrEnum


class AgentStepType2Kind(StrEnum):
    HTTP_REQUEST = "http_request"

    def __str__(self) -> str:
        return str(self.value)
