from enum import StrEnum


class TokenScopeKind(StrEnum):
    ACCOUNT = "account"
    DEPLOYMENT = "deployment"
    ENVIRONMENT = "environment"

    def __str__(self) -> str:
        return str(self.value)
