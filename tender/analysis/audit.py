"""The audit: is every score consistent, complete and motivated, and how fragile is each decision?

:func:`audit` takes the dossier, the bids' assessments, the record's scores and
(once they can be taken) the decisions, and returns an :class:`AuditReport`:
findings, each with a severity and the items it concerns, and the statistics
behind them. It reads and writes nothing.

Checks (DESIGN §2, "Consistency"), with their severity:

=============  ====================================================================  ========
check          finding                                                               severity
=============  ====================================================================  ========
completeness   a required individual score is missing (one finding per evaluator)     blocking
completeness   a required consensus score is missing (method ``consensus``)           blocking
completeness   a score by an evaluator with a declared conflict of interest           blocking
scale          a score that is not a point on the scale (the scale changed after)     blocking
motivation     a motivation that is empty                                            blocking
motivation     a motivation shorter than ``min_motivation_chars``                    warning
motivation     one motivation, word for word, on more than one bid                   info
spread         individual scores more than ``max_spread_steps`` steps apart           warning
spread         a consensus score outside the range of the individual scores          warning
bias           an evaluator's mean deviation from the others of at least              warning
               ``bias_steps`` steps, with a 95 % interval that excludes zero
bias           straight-lining: one score on all sub-criteria of at least             warning
               ``straight_lining_share`` of an evaluator's bids
agreement      Krippendorff's interval alpha below .667 (unreliable)                 warning
agreement      Krippendorff's interval alpha from .667 up to .8 (tentative)          info
tone           wording that contradicts the score (negative cues with a high         warning
               score, praise with a low one)
tone           comparative wording, another bid's id or another bidder's name       warning
fragility      the outcome changes when one final score moves one step, or          warning
               (mean and median) when one evaluator is left out
=============  ====================================================================  ========

Definitions:

- A **step** is the distance between neighbouring points of the scale. An item's
  spread is counted in steps (positions on the scale), so it means the same on an
  uneven scale. Where a step must be a number of points (bias, moving a mean or
  median final score) it is the smallest distance between neighbouring points.
- **Bias**: for every item an evaluator scored with at least one other, the
  evaluator's score minus the mean of the others' scores; the mean of these
  differences with a t-based 95 % confidence interval (t from a table up to 120
  degrees of freedom, the normal quantile beyond).
- **High** scores lie in the top 30 % of the scale's range, **low** ones in the
  bottom 40 %. A high score contradicts its motivation when the motivation's own
  words (quotations from the plan left out) hold at least two negative cues and
  more negative cues than praise; a low score when they hold at least two praise
  cues and more praise than negative cues. Praise after "niet", "weinig",
  "nauwelijks", "onvoldoende" or "geen" counts as negative.
- **Agreement** is computed per sub-criterion and over all items, with the
  evaluators as raters. ICC uses complete items only (an item of a bid that an
  evaluator has a conflict with is left out, and the count is shown); alpha uses
  every item with two or more scores. Findings are raised on the interval alpha,
  which uses every score; the ICCs are shown for reference with Koo & Li's bands.
- **Fragility** (once decisions are taken): per bid with final scores, the margin
  to the tightest threshold rule, and every single change that turns its outcome:
  one final score one step up or down (to the neighbouring point for a consensus
  score; by one step within the scale for a mean or median), and, for the mean and
  median methods, the final scores recomputed without one evaluator.

During the individual phase no one may see another evaluator's scores, so the
audit is limited to completeness: how many scores each evaluator still has open,
and scores given despite a conflict (by bid, without values or motivations).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from tender.analysis.bias import bias
from tender.analysis.checks import (
    agreement,
    agreement_findings,
    completeness,
    scale_and_motivation,
    spread,
)
from tender.analysis.context import AuditContext
from tender.analysis.fragility import fragility, fragility_findings
from tender.analysis.report import (
    CHECKS,
    SEVERITIES,
    Assessed,
    AuditFinding,
    AuditReport,
    Fragility,
)
from tender.analysis.tone import tone
from tender.award.decisions import Decision
from tender.domain.dossier import Dossier
from tender.record.book import ScoreBook


def audit(
    dossier: Dossier,
    assessments: Sequence[Assessed],
    book: ScoreBook,
    decisions: Sequence[Decision] | None = None,
) -> AuditReport:
    """Audit the record: every check of DESIGN §2 "Consistency" that the phase allows."""
    context = AuditContext.build(dossier, assessments, book)
    limited = book.phase == "individual"
    findings = [*completeness(context, limited=limited)]
    report = AuditReport(
        reference=dossier.procedure.reference,
        title=dossier.procedure.title,
        phase=book.phase,
        method=dossier.award.final_score,
        limited=limited,
        settings=dossier.award.audit,
        scale=context.scale,
        step=context.step,
        sub_criteria=tuple((sub.id, sub.title) for sub in dossier.award.sub_criteria),
        completeness=context.completeness(),
        findings=(),
    )
    if limited:
        return _ordered(report, findings)
    findings += scale_and_motivation(context)
    spread_counts, spread_findings = spread(context)
    findings += spread_findings
    evaluator_stats, bias_findings = bias(context)
    findings += bias_findings
    agreement_rows = agreement(context)
    findings += agreement_findings(agreement_rows)
    findings += tone(context)
    fragile_rows: tuple[Fragility, ...] = ()
    if decisions is not None:
        fragile_rows = fragility(context, decisions)
        findings += fragility_findings(fragile_rows)
    return _ordered(
        replace(
            report,
            evaluators=evaluator_stats,
            spread=spread_counts,
            agreement=agreement_rows,
            fragility=fragile_rows,
            decisions_available=decisions is not None,
        ),
        findings,
    )


def _ordered(report: AuditReport, findings: Iterable[AuditFinding]) -> AuditReport:
    """The report with its findings, blocking first, then by check in the order of CHECKS."""
    order = {check: index for index, check in enumerate(CHECKS)}
    rank = {severity: index for index, severity in enumerate(SEVERITIES)}
    ordered = sorted(findings, key=lambda f: (rank[f.severity], order[f.check]))
    return replace(report, findings=tuple(ordered))
