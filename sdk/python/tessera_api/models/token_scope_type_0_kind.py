from enum import StrEnum


class TokenScopeType0Kind(StrEnum):
    ACCOUNT = "account"

    def __str__(self) -> str:
        return str(self.value)
