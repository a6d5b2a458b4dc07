from enum import StrEnum


class TokenSort(StrEnum):
    CREATED_ASC = "created_asc"
    CREATED_DESC = "created_desc"
    LAST_USED_ASC = "last_used_asc"
    LAST_USED_DESC = "last_used_desc"
    NAME_ASC = "name_asc"
    NAME_DESC = "name_desc"

    def __str__(self) -> str:
        return str(self.value)
