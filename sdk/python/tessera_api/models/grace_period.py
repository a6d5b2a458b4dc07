from enum import StrEnum


class GracePeriod(StrEnum):
    NONE = "none"
    ONE_DAY = "one_day"
    ONE_HOUR = "one_hour"
    SEVEN_DAYS = "seven_days"

    def __str__(self) -> str:
        return str(self.value)
