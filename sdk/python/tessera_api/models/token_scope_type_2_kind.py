from enum import StrEnum


class TokenScopeType2Kind(StrEnum):
    DEPLOYMENT = "deployment"

    def __str__(self) -> str:
        return str(self.value)
