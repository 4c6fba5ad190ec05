"""Sending letters: the provisional award and the definitive award, kept and recorded.

Both render the letters from the record as it stands, keep them as a set in
``reports/`` that is never replaced, and record the set's digests. The clock is
the machine's (checked by :class:`~tender.record.rules.Rules`); a set that was
kept but not recorded (a run interrupted between the two) is recorded when it is
exactly what would be sent now, and refused otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from tender.app.identity import member_keys
from tender.app.load import evaluate
from tender.award.decisions import Decision
from tender.domain.deadlines import StandstillPeriod
from tender.domain.dossier import REPORTS
from tender.domain.errors import RefusedError, SentFilesError
from tender.domain.progress import Progress, silent
from tender.io.keyfiles import Passphrase
from tender.io.loader import load_dossier
from tender.present.decision_files import decision_files
from tender.present.letters import definitive_letters, digest_of, provisional_letters
from tender.present.render import Rendered, publish
from tender.record.ledger import Entry
from tender.record.recorder import Recorder
from tender.record.sent import require_known_sets, set_digests


@dataclass(frozen=True, kw_only=True)
class Sent:
    """A set of letters kept and recorded as sent."""

    version: int
    day: date
    decisions: tuple[Decision, ...]
    files: tuple[Rendered, ...]
    digest: str
    folder: Path
    entry: Entry
    kept_before: bool
    """The set was already kept by an interrupted run and is recorded now."""
    period: StandstillPeriod


def send_letters(
    root: Path,
    chair: str,
    day: date,
    *,
    ask: Passphrase | None = None,
    progress: Progress = silent,
) -> Sent:
    """Render, keep and record the provisional award letters of the decision as it stands.

    ``ask`` asks the passphrase of the chair's key (when ``$TENDER_PASSPHRASE`` does not give it).
    """
    dossier = load_dossier(root)
    recorder = Recorder(dossier, keys=member_keys(dossier, chair, ask))
    recorder.require_chair(chair)
    recorder.require_letters_allowed(day)
    evaluation = evaluate(recorder.dossier, recorder.book, progress=progress)
    period = evaluation.standstill(day)
    decisions = evaluation.decide()
    version = len(recorder.book.dispatches) + 1
    files = (
        *provisional_letters(
            recorder.dossier,
            decisions,
            evaluation.assessments,
            period,
            version=version,
            progress=progress,
        ),
        *decision_files(recorder.dossier, decisions),
    )
    digest, each = digest_of(files)
    folder, kept_before = _keep(root, recorder, f"sent-v{version}", files, each)
    entry = recorder.record_letters_sent(
        chair,
        sent=day,
        standstill_end=period.end,
        digest=digest,
        files=each,
        outcomes={decision.bid: decision.outcome for decision in decisions},
    )
    return Sent(
        version=version,
        day=day,
        decisions=decisions,
        files=files,
        digest=digest,
        folder=folder,
        entry=entry,
        kept_before=kept_before,
        period=period,
    )


def send_definitive(
    root: Path,
    chair: str,
    day: date,
    *,
    ask: Passphrase | None = None,
    progress: Progress = silent,
) -> Sent:
    """Render, keep and record the definitive award letters, once the standstill is over.

    Refused when the decisions taken now differ from what the provisional letters
    told the bidders: only those told they won had a standstill period to object.
    """
    dossier = load_dossier(root)
    recorder = Recorder(dossier, keys=member_keys(dossier, chair, ask))
    recorder.require_chair(chair)
    current = recorder.require_definitive_allowed(day)
    evaluation = evaluate(recorder.dossier, recorder.book, progress=progress)
    decisions = evaluation.decide()
    _require_same_outcomes(current.outcomes, decisions, current.version)
    period = evaluation.standstill(current.sent)
    files = definitive_letters(
        recorder.dossier,
        decisions,
        period,
        sent=day,
        version=current.version,
        progress=progress,
    )
    digest, each = digest_of(files)
    folder, kept_before = _keep(root, recorder, f"definitive-v{current.version}", files, each)
    entry = recorder.record_definitive(chair, sent=day, digest=digest, files=each)
    return Sent(
        version=current.version,
        day=day,
        decisions=decisions,
        files=files,
        digest=digest,
        folder=folder,
        entry=entry,
        kept_before=kept_before,
        period=period,
    )


def _keep(
    root: Path,
    recorder: Recorder,
    set_name: str,
    files: Sequence[Rendered],
    digests: Mapping[str, str],
) -> tuple[Path, bool]:
    """Keep the set in ``reports/``; a set there already is taken only when it is this one."""
    require_known_sets(root, recorder.book, adopting=set_name)
    folder = root / REPORTS / set_name
    if not folder.exists():
        return publish(root, set_name, files, group=recorder.dossier.committee.group), False
    if folder.is_dir() and set_digests(folder) == dict(digests):
        return folder, True
    raise SentFilesError(
        f"{REPORTS}/{set_name}/ exists and is not what would be sent now; sent letters are "
        "never replaced. If it is left from an earlier attempt, a person must decide: move "
        "it aside (keep it as evidence) and run the command again",
        [f"{REPORTS}/{set_name}/: differs from the letters rendered now"],
    )


def _require_same_outcomes(
    told: Mapping[str, str], decisions: Sequence[Decision], version: int
) -> None:
    now = {decision.bid: decision.outcome for decision in decisions}
    differing = [
        f"{bid}: told {told.get(bid, 'nothing')}, now {now.get(bid, 'no decision')}"
        for bid in sorted(told.keys() | now.keys())
        if told.get(bid) != now.get(bid)
    ]
    if differing:
        raise RefusedError(
            f"the decisions taken now differ from what letters version {version} told the "
            f"bidders ({'; '.join(differing)}); the definitive award must be the provisional "
            "one. Withdraw the decision ('tender letters withdraw') and send new letters"
        )
