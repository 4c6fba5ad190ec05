"""``tender standstill``: when the standstill period ends for a given dispatch date."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from tender.commands import EXIT_CODES_HELP, dossier_option, json_option


@click.command(epilog=EXIT_CODES_HELP)
@dossier_option
@json_option
@click.option(
    "--sent",
    required=True,
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The day the provisional award letters are sent (YYYY-MM-DD).",
)
def standstill(dossier: Path, as_json: bool, sent: datetime) -> None:
    """Compute the standstill period for letters sent on a given day.

    The period starts the day after dispatch and lasts the dossier's number of
    calendar days. A statutory period that would end on a Saturday, Sunday or
    holiday (Algemene termijnenwet, with the dossier's Royal-Decree days) ends
    on the next working day; for a contractual one both dates are shown.

    \b
    Example:
      tender standstill --sent 2017-12-01
    """
    from tender.domain.deadlines import standstill as compute
    from tender.io.loader import load_dossier
    from tender.terminal.console import print_json
    from tender.terminal.dossier import show_standstill

    procedure = load_dossier(dossier).procedure
    period = compute(
        sent.date(),
        days=procedure.standstill.days,
        statutory=procedure.standstill.statutory,
        extra_holidays=procedure.extra_holidays,
    )
    if as_json:
        print_json(period)
        return
    show_standstill(period)
