"""The standstill period (art. 2.127 Aanbestedingswet 2012) and the Algemene termijnenwet.

The period starts the day after the provisional award letters are sent and lasts
at least 20 calendar days. Where it is statutory, art. 1 Algemene termijnenwet
(Atw) extends an end date that falls on a Saturday, Sunday or a holiday of
art. 3 Atw to the next day that is none of these. Days designated by Royal
Decree count as holidays too; the dossier lists them, since no rule predicts them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.easter import easter

from tender.domain.errors import InputError

SATURDAY, SUNDAY = 5, 6
FIRST_YEAR = 1980  # from 1980 the monarch's birthday rule below holds; earlier is not needed


@dataclass(frozen=True, kw_only=True)
class DayOff:
    """A day on which a statutory period cannot end, with its name in both letter languages."""

    day: date
    name_nl: str
    name_en: str


@dataclass(frozen=True, kw_only=True)
class StandstillPeriod:
    """When the standstill starts and ends, and why the end moved (if it did)."""

    sent: date
    days: int
    statutory: bool
    first_day: date
    plain_end: date
    extended_end: date
    skipped: tuple[DayOff, ...]
    end: date
    """The day the period ends: extended when statutory, plain when only contractual."""
    definitive_from: date
    """The first day on which the definitive award may be sent."""


def holidays(year: int, extra: Iterable[date] = ()) -> dict[date, DayOff]:
    """The holidays of art. 3 Atw in ``year`` (Good Friday included), plus ``extra`` days."""
    if year < FIRST_YEAR:
        raise InputError(f"holidays before {FIRST_YEAR} are not known to tender (asked for {year})")
    easter_sunday = easter(year)
    days = [
        DayOff(day=date(year, 1, 1), name_nl="Nieuwjaarsdag", name_en="New Year's Day"),
        DayOff(
            day=easter_sunday - timedelta(days=2), name_nl="Goede Vrijdag", name_en="Good Friday"
        ),
        DayOff(
            day=easter_sunday + timedelta(days=1), name_nl="tweede paasdag", name_en="Easter Monday"
        ),
        _monarchs_day(year),
        DayOff(
            day=date(year, 5, 5), name_nl="Bevrijdingsdag (5 mei)", name_en="Liberation Day (5 May)"
        ),
        DayOff(
            day=easter_sunday + timedelta(days=39),
            name_nl="Hemelvaartsdag",
            name_en="Ascension Day",
        ),
        DayOff(
            day=easter_sunday + timedelta(days=50),
            name_nl="tweede pinksterdag",
            name_en="Whit Monday",
        ),
        DayOff(day=date(year, 12, 25), name_nl="eerste kerstdag", name_en="Christmas Day"),
        DayOff(day=date(year, 12, 26), name_nl="tweede kerstdag", name_en="Boxing Day"),
    ]
    days += [
        DayOff(
            day=day,
            name_nl="bij Koninklijk Besluit aangewezen dag",
            name_en="day designated by Royal Decree",
        )
        for day in extra
        if day.year == year
    ]
    found: dict[date, DayOff] = {}
    for day_off in days:
        found.setdefault(day_off.day, day_off)
    return found


def _monarchs_day(year: int) -> DayOff:
    """King's Day from 2014 (27 April, 26 when that is a Sunday); Queen's Day before it."""
    if year >= 2014:
        day = date(year, 4, 27)
        day = day - timedelta(days=1) if day.weekday() == SUNDAY else day
        return DayOff(day=day, name_nl="Koningsdag", name_en="King's Day")
    day = date(year, 4, 30)
    day = day - timedelta(days=1) if day.weekday() == SUNDAY else day
    return DayOff(day=day, name_nl="Koninginnedag", name_en="Queen's Day")


def day_off(day: date, extra: Iterable[date] = ()) -> DayOff | None:
    """Why a statutory period cannot end on ``day``, or None when it can."""
    holiday = holidays(day.year, extra).get(day)
    if holiday is not None:
        return holiday
    if day.weekday() == SATURDAY:
        return DayOff(day=day, name_nl="zaterdag", name_en="Saturday")
    if day.weekday() == SUNDAY:
        return DayOff(day=day, name_nl="zondag", name_en="Sunday")
    return None


def standstill(
    sent: date, *, days: int, statutory: bool, extra_holidays: Iterable[date] = ()
) -> StandstillPeriod:
    """The standstill period for letters sent on ``sent``.

    >>> standstill(date(2017, 12, 1), days=20, statutory=True).end
    datetime.date(2017, 12, 21)
    >>> standstill(date(2020, 10, 12), days=20, statutory=True).end
    datetime.date(2020, 11, 2)
    """
    if days < 1:
        raise InputError(f"a standstill period lasts at least one day, not {days}")
    extra = tuple(extra_holidays)
    plain_end = sent + timedelta(days=days)
    end = plain_end
    skipped: list[DayOff] = []
    while (reason := day_off(end, extra)) is not None:
        skipped.append(reason)
        end += timedelta(days=1)
    final = end if statutory else plain_end
    return StandstillPeriod(
        sent=sent,
        days=days,
        statutory=statutory,
        first_day=sent + timedelta(days=1),
        plain_end=plain_end,
        extended_end=end,
        skipped=tuple(skipped),
        end=final,
        definitive_from=final + timedelta(days=1),
    )
