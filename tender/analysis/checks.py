"""The audit's checks on the record itself: completeness, the scale, motivations, the spread
between evaluators on an item, and agreement over all items.

A **step** is the distance between neighbouring points of the scale; an item's spread is
counted in steps (positions on the scale), so it means the same on an uneven scale.
"""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence

from tender.analysis.agreement import AlphaLevel, alpha, icc
from tender.analysis.context import AuditContext
from tender.analysis.report import (
    OVERALL,
    Agreement,
    AuditFinding,
    Concern,
    SpreadCount,
    decimal_of,
    listed,
    plural,
    where,
)
from tender.record.book import Score

# --- completeness ------------------------------------------------------------------------------


def completeness(context: AuditContext, *, limited: bool) -> Iterator[AuditFinding]:
    book, committee = context.book, context.dossier.committee
    missing: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for bid, sub in context.items:
        for person in context.expected(bid):
            if (person, bid, sub) not in book.scored:
                missing[person].append((bid, sub))
    for person in context.evaluators:
        open_items = missing.get(person)
        if not open_items:
            continue
        count = len(open_items)
        yield AuditFinding(
            check="completeness",
            rule="completeness.missing-individual",
            severity="blocking",
            message=f"{person} has {plural(count, 'required individual score')} still open",
            items=()
            if limited
            else tuple(
                Concern(bid=bid, sub_criterion=sub, evaluator=person) for bid, sub in open_items
            ),
            figures={"evaluator": person, "missing": count},
        )
    if context.consensus_required:
        open_consensus = [item for item in context.items if item not in book.consensus]
        if open_consensus:
            count = len(open_consensus)
            yield AuditFinding(
                check="completeness",
                rule="completeness.missing-consensus",
                severity="blocking",
                message=f"{plural(count, 'required consensus score')} still open",
                items=tuple(
                    Concern(bid=bid, sub_criterion=sub, consensus=True)
                    for bid, sub in open_consensus
                ),
                figures={"missing": count},
            )
    conflicted: dict[tuple[str, str], list[str]] = defaultdict(list)
    declared = {(conflict.evaluator, conflict.bid) for conflict in committee.conflicts}
    if declared:
        for person, bid, sub in sorted(book.scored):
            if (person, bid) in declared:
                conflicted[(person, bid)].append(sub)
    for (person, bid), subs in conflicted.items():
        reason = next(
            (c.reason for c in committee.conflicts if c.evaluator == person and c.bid == bid), ""
        )
        yield AuditFinding(
            check="completeness",
            rule="completeness.conflicted",
            severity="blocking",
            message=f"{person} scored {bid} ({plural(len(subs), 'sub-criterion', 'sub-criteria')}) "
            f"despite a declared conflict of interest: {reason}",
            items=tuple(Concern(bid=bid, sub_criterion=sub, evaluator=person) for sub in subs),
            figures={"evaluator": person, "bid": bid, "scores": len(subs)},
        )


# --- scale and motivation ----------------------------------------------------------------------


def scale_and_motivation(context: AuditContext) -> Iterator[AuditFinding]:
    settings = context.dossier.award.audit
    scale_text = ", ".join(str(value) for value in context.scale)
    # Motivations are grouped by the hash of their normalised text, and only groups of
    # several are compared word for word: keeping every normalised text would hold a copy
    # of all motivations (a quarter of a GiB for 400,000 scores).
    copies: dict[int, list[Score]] = defaultdict(list)
    for score in context.all_scores():
        if score.score not in context.position:
            yield AuditFinding(
                check="scale",
                rule="scale.off-scale",
                severity="blocking",
                message=f"{where(score)}: {score.score} by {context.who(score)} is not a point on the "
                f"scale ({scale_text})",
                items=(context.concern(score),),
                figures={"score": score.score, "scale": scale_text},
            )
        text = score.motivation.strip()
        if not text:
            yield AuditFinding(
                check="motivation",
                rule="motivation.missing",
                severity="blocking",
                message=f"{where(score)}: the score {score.score} by {context.who(score)} has no motivation",
                items=(context.concern(score),),
                figures={"score": score.score},
            )
            continue
        if len(text) < settings.min_motivation_chars:
            yield AuditFinding(
                check="motivation",
                rule="motivation.short",
                severity="warning",
                message=f"{where(score)}: the motivation by {context.who(score)} has {len(text)} characters "
                f"(at least {settings.min_motivation_chars} expected)",
                items=(context.concern(score),),
                figures={"characters": len(text), "minimum": settings.min_motivation_chars},
                evidence=text,
            )
        copies[hash(_normalised(text))].append(score)
    groups = [
        group
        for bucket in copies.values()
        if len(bucket) > 1
        for group in _same_text(bucket)
        if len({score.bid for score in group}) > 1
    ]
    groups.sort(key=lambda group: (-len({score.bid for score in group}), group[0].seq))
    for group in groups:
        bids = sorted({score.bid for score in group})
        authors = sorted({context.who(score) for score in group})
        yield AuditFinding(
            check="motivation",
            rule="motivation.copied",
            severity="info",
            message=f"one motivation is used word for word on {len(bids)} bids ({listed(bids)}): "
            f"{plural(len(group), 'score')} by {', '.join(authors)}",
            items=tuple(context.concern(score) for score in group),
            figures={"bids": len(bids), "scores": len(group)},
            evidence=group[0].motivation.strip(),
        )


def _same_text(scores: Iterable[Score]) -> Iterator[list[Score]]:
    """The scores whose motivations are the same normalised text, in groups, in order."""
    by_text: dict[str, list[Score]] = defaultdict(list)
    for score in scores:
        by_text[_normalised(score.motivation.strip())].append(score)
    yield from by_text.values()


def _normalised(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


# --- spread ------------------------------------------------------------------------------------


def spread(context: AuditContext) -> tuple[tuple[SpreadCount, ...], list[AuditFinding]]:
    allowed = context.dossier.award.audit.max_spread_steps
    counts: Counter[tuple[str, int]] = Counter()
    wide: list[tuple[int, AuditFinding]] = []
    findings: list[AuditFinding] = []
    for bid, sub in context.items:
        scores = [s for s in context.scores.get((bid, sub), ()) if s.score in context.position]
        where = f"{bid} / {sub}"
        if not scores:
            continue
        low = min(score.score for score in scores)
        high = max(score.score for score in scores)
        steps = context.position[high] - context.position[low]
        counts[(sub, steps)] += 1
        listing = " · ".join(f"{score.by} {score.score}" for score in scores)
        if steps > allowed:
            wide.append(
                (
                    steps,
                    AuditFinding(
                        check="spread",
                        rule="spread.wide",
                        severity="warning",
                        message=f"{where}: individual scores from {low} to {high}, "
                        f"{plural(steps, 'step')} apart (at most {allowed} allowed)",
                        items=(Concern(bid=bid, sub_criterion=sub),),
                        figures={"low": low, "high": high, "steps": steps, "allowed": allowed},
                        evidence=listing,
                    ),
                )
            )
        agreed = context.book.consensus.get((bid, sub))
        if agreed is not None and not low <= agreed.score <= high:
            findings.append(
                AuditFinding(
                    check="spread",
                    rule="spread.consensus-outside",
                    severity="warning",
                    message=f"{where}: the consensus score {agreed.score} lies outside the individual "
                    f"scores ({low} to {high})",
                    items=(Concern(bid=bid, sub_criterion=sub, consensus=True),),
                    figures={"consensus": agreed.score, "low": low, "high": high},
                    evidence=listing,
                )
            )
    wide.sort(key=lambda pair: -pair[0])
    order = {sub.id: index for index, sub in enumerate(context.dossier.award.sub_criteria)}
    spread = tuple(
        SpreadCount(sub_criterion=sub, steps=steps, items=count)
        for (sub, steps), count in sorted(counts.items(), key=lambda p: (order[p[0][0]], p[0][1]))
    )
    return spread, [finding for _, finding in wide] + findings


# --- agreement ---------------------------------------------------------------------------------


def agreement(context: AuditContext) -> tuple[Agreement, ...]:
    domain = [float(value) for value in context.scale]
    rows: dict[str, list[list[float | None]]] = defaultdict(list)
    for bid, sub in context.items:
        found = {
            score.by: float(score.score)
            for score in context.scores.get((bid, sub), ())
            if score.score in context.position
        }
        if not found:
            continue
        row = [found.get(person) for person in context.evaluators]
        rows[sub].append(row)
        rows[OVERALL].append(row)
    scopes = [*context.dossier.award.sub_criteria]
    result = []
    for scope, title in [(sub.id, sub.title) for sub in scopes] + [(OVERALL, "All items")]:
        table = rows.get(scope, [])
        levels: dict[AlphaLevel, float | None] = {
            level: alpha(table, level, domain) if table else None
            for level in ("interval", "ordinal")
        }
        result.append(
            Agreement(
                scope=scope,
                title=title,
                items=len(table),
                icc=icc(table) if table else icc([]),
                alpha_interval=levels["interval"],
                alpha_ordinal=levels["ordinal"],
            )
        )
    return tuple(result)


def agreement_findings(rows: Sequence[Agreement]) -> Iterator[AuditFinding]:
    for row in rows:
        band = row.band
        if band not in ("unreliable", "tentative") or row.alpha_interval is None:
            continue
        what = "all items" if row.scope == OVERALL else f"sub-criterion {row.scope}"
        yield AuditFinding(
            check="agreement",
            rule=f"agreement.{band}",
            severity="warning" if band == "unreliable" else "info",
            message=f"agreement between the evaluators on {what} is {band}: Krippendorff's interval "
            f"alpha {row.alpha_interval:.3f} ({'below .667' if band == 'unreliable' else 'below .8'}) "
            f"over {plural(row.items, 'item')}",
            items=(Concern(sub_criterion=None if row.scope == OVERALL else row.scope),),
            figures={
                "scope": row.scope,
                "alpha": decimal_of(row.alpha_interval, 3),
                "items": row.items,
            },
        )
