from enum import StrEnum


class Answerer(StrEnum):
    EXTRACTIVE = "extractive"
    MODEL = "model"

    def __str__(self) -> str:
        return str(self.value)
