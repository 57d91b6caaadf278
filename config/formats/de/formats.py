# Dates as German readers write them. Templates name these formats (DATE_FORMAT,
# SHORT_DATE_FORMAT …) rather than spelling a pattern, so English pages get English dates.
DATE_FORMAT = "j. F Y"
DATETIME_FORMAT = "j. F Y, H:i"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j. F"
