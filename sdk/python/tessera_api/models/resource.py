from enum import StrEnum


class Resource(StrEnum):
    AGENTS = "agents"
    ASSISTANT = "assistant"
    EXECUTIONS = "executions"
    INTEGRATIONS = "integrations"
    KNOWLEDGE_BASE = "knowledge_base"
    STORAGE = "storage"
    TOKENS = "tokens"
    TRIGGERS = "triggers"
    WEBHOOKS = "webhooks"

    def __str__(self) -> str:
        return str(self.value)
