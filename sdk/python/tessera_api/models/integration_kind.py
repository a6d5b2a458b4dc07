from enum import StrEnum


class IntegrationKind(StrEnum):
    HTTP = "http"
    LLM = "llm"

    def __str__(self) -> str:
        return str(self.value)
