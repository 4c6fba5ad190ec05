"""The standstill period: art. 2.127 Aw with the Algemene termijnenwet's extension."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date

import pytest
from click.testing import Result

from tender.domain.deadlines import holidays, standstill
from tender.domain.errors import InputError
from tests.conftest import DossierFactory

# (letters sent, statutory end, why the 20th day could not be the end)
CASES = [
    pytest.param(date(2017, 12, 1), date(2017, 12, 21), [], id="seed plan: sent Fri 1 Dec 2017"),
    pytest.param(date(2020, 10, 12), date(2020, 11, 2), ["Sunday"], id="Hof Den Haag 2020"),
    pytest.param(date(2021, 1, 10), date(2021, 2, 1), ["Saturday", "Sunday"], id="Saturday"),
    pytest.param(date(2018, 12, 12), date(2019, 1, 2), ["New Year's Day"], id="New Year"),
    pytest.param(
        date(2019, 3, 30),
        date(2019, 4, 23),
        ["Good Friday", "Saturday", "Sunday", "Easter Monday"],
        id="Good Friday to Easter Monday",
    ),
    pytest.param(date(2018, 3, 13), date(2018, 4, 3), ["Easter Monday"], id="Easter Monday"),
    pytest.param(
        date(2018, 4, 7), date(2018, 4, 30), ["King's Day", "Saturday", "Sunday"], id="King's Day"
    ),
    pytest.param(date(2020, 4, 15), date(2020, 5, 6), ["Liberation Day (5 May)"], id="5 May"),
    pytest.param(date(2019, 5, 10), date(2019, 5, 31), ["Ascension Day"], id="Ascension"),
    pytest.param(date(2019, 5, 21), date(2019, 6, 11), ["Whit Monday"], id="Whit Monday"),
    pytest.param(
        date(2019, 12, 5), date(2019, 12, 27), ["Christmas Day", "Boxing Day"], id="Christmas"
    ),
    pytest.param(
        date(2020, 12, 5),
        date(2020, 12, 28),
        ["Christmas Day", "Boxing Day", "Sunday"],
        id="Christmas on a Friday",
    ),
]


@pytest.mark.parametrize(("sent", "end", "why"), CASES)
def test_statutory_end_date(sent: date, end: date, why: list[str]) -> None:
    period = standstill(sent, days=20, statutory=True)
    assert period.end == end
    assert [day.name_en for day in period.skipped] == why
    assert period.definitive_from.toordinal() == end.toordinal() + 1


def test_the_period_starts_the_day_after_dispatch() -> None:
    period = standstill(date(2017, 12, 1), days=20, statutory=True)
    assert period.first_day == date(2017, 12, 2)
    assert period.plain_end == date(2017, 12, 21)
    assert period.definitive_from == date(2017, 12, 22)


def test_royal_decree_days_count_only_when_the_dossier_lists_them() -> None:
    sent = date(2025, 12, 13)  # day 20 is Friday 2 January 2026
    assert standstill(sent, days=20, statutory=True).end == date(2026, 1, 2)
    extended = standstill(sent, days=20, statutory=True, extra_holidays=[date(2026, 1, 2)])
    assert extended.end == date(2026, 1, 5)
    assert extended.skipped[0].name_en == "day designated by Royal Decree"
    after_ascension = standstill(
        date(2026, 4, 25), days=20, statutory=True, extra_holidays=[date(2026, 5, 15)]
    )
    assert after_ascension.end == date(2026, 5, 18)


def test_a_contractual_period_keeps_the_plain_end_and_shows_the_extended_one() -> None:
    period = standstill(date(2020, 10, 12), days=20, statutory=False)
    assert period.end == date(2020, 11, 1)
    assert period.extended_end == date(2020, 11, 2)
    assert period.definitive_from == date(2020, 11, 2)


def test_kings_day_moves_to_the_26th_when_the_27th_is_a_sunday() -> None:
    assert holidays(2025)[date(2025, 4, 26)].name_en == "King's Day"
    assert date(2025, 4, 27) not in holidays(2025)
    assert holidays(2018)[date(2018, 4, 27)].name_nl == "Koningsdag"


def test_queens_day_before_2014() -> None:
    assert holidays(2013)[date(2013, 4, 30)].name_en == "Queen's Day"
    assert holidays(2006)[date(2006, 4, 29)].name_en == "Queen's Day"  # 30 April was a Sunday


def test_the_fifth_of_may_is_a_holiday_every_year() -> None:
    for year in (2017, 2019, 2020, 2021):
        assert holidays(year)[date(year, 5, 5)].name_nl == "Bevrijdingsdag (5 mei)"


def test_a_period_of_no_days_is_refused() -> None:
    with pytest.raises(InputError, match="at least one day"):
        standstill(date(2020, 1, 1), days=0, statutory=True)


def test_years_before_1980_are_refused_clearly() -> None:
    with pytest.raises(InputError, match="before 1980"):
        holidays(1975)


def test_standstill_command_shows_the_extension(
    make_dossier: DossierFactory, run_cli: Callable[..., Result]
) -> None:
    root = make_dossier()
    result = run_cli("standstill", "--dossier", str(root), "--sent", "2020-10-12")
    assert result.exit_code == 0, result.output
    assert "Sun 01-11-2020: Sunday" in result.output
    assert "Ends (Atw)              Mon 02-11-2020" in result.output
    assert "Definitive award from   Tue 03-11-2020" in result.output


def test_standstill_command_json(
    make_dossier: DossierFactory, run_cli: Callable[..., Result]
) -> None:
    root = make_dossier()
    result = run_cli("standstill", "-d", str(root), "--sent", "2017-12-01", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["end"] == "2017-12-21"
    assert data["definitive_from"] == "2017-12-22"
    assert data["skipped"] == []


def test_standstill_command_uses_the_dossiers_royal_decree_days(
    make_dossier: DossierFactory, run_cli: Callable[..., Result]
) -> None:
    root = make_dossier()
    procedure = (root / "criteria/procedure.yaml").read_text(encoding="utf-8")
    (root / "criteria/procedure.yaml").write_text(
        procedure.replace("extra_holidays: []", "extra_holidays: [2026-01-02]"), encoding="utf-8"
    )
    result = run_cli("standstill", "-d", str(root), "--sent", "2025-12-13", "--json")
    assert json.loads(result.output)["end"] == "2026-01-05", result.output


def test_standstill_command_refuses_a_bad_date(
    make_dossier: DossierFactory, run_cli: Callable[..., Result]
) -> None:
    root = make_dossier()
    result = run_cli("standstill", "-d", str(root), "--sent", "01-12-2017")
    assert result.exit_code == 2
    assert "01-12-2017" in result.output
    assert "Traceback" not in result.output
