from enum import StrEnum


class TokenScopeType1Kind(StrEnum):
    ENVIRONMENT = "environment"

    def __str__(self) -> str:
        return str(self.value)
