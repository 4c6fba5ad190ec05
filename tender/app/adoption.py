"""The adoption of the evaluation report: each member signs its digest with their own key."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tender.app.identity import member_keys
from tender.app.load import evaluate
from tender.domain.progress import Progress, silent
from tender.io.keyfiles import Passphrase
from tender.io.loader import load_dossier
from tender.present.render import Rendered
from tender.present.report import evaluation_report, planned_period, report_digest
from tender.record.ledger import Entry
from tender.record.recorder import Recorder


@dataclass(frozen=True, kw_only=True)
class Adopted:
    """A member's signature under the report, and the report as it reads with it."""

    entry: Entry
    digest: str
    files: tuple[Rendered, ...]
    signed: int
    members: int
    group: str | None
    """The committee's group, for the report's folder."""


def sign_report(
    root: Path, member: str, *, ask: Passphrase | None = None, progress: Progress = silent
) -> Adopted:
    """Record ``member``'s signature over the report as the record describes it now.

    The report is derived again from the record, so the digest signed is that of the text
    every later 'tender report' writes for the same record; the files returned show the
    new signature and are for the caller to write.
    """
    dossier = load_dossier(root)
    recorder = Recorder(dossier, keys=member_keys(dossier, member, ask))
    evaluation = evaluate(dossier, recorder.book, progress=progress)
    decisions = evaluation.decide()
    period = planned_period(evaluation)
    digest = report_digest(evaluation, decisions, period, last=recorder.book.described)
    entry = recorder.sign_report(member, digest)
    files = evaluation_report(evaluation, decisions, period, last=recorder.book.described)
    signed = {a.by for a in recorder.book.adoptions if a.digest == digest}
    return Adopted(
        entry=entry,
        digest=digest,
        files=files,
        signed=len(signed),
        members=len(dossier.committee.members),
        group=dossier.committee.group,
    )
