"""Load a tender dossier: the only place that reads ``criteria/`` and ``submissions/``.

:func:`load_dossier` validates every file against its model and then checks what
no single file can: that ids are unique, that references between files resolve,
that weights, scale and threshold fit together. It reports every problem of the
whole dossier at once, each with file, line and field, and returns an immutable
:class:`Dossier` only when there are none.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from tender.domain.dossier import BID_FILE, CRITERIA, SUBMISSIONS, Dossier, Submission
from tender.domain.errors import DossierError, Problem, UsageError
from tender.domain.limits import BID_FILE_BYTES, CRITERIA_FILE_BYTES
from tender.domain.models import (
    SLUG_PATTERN,
    AwardCriteria,
    BidMetadata,
    Committee,
    DocumentAgeCheck,
    DocumentCheck,
    EachSubCriterionRule,
    ExclusionCheck,
    FieldCheck,
    Procedure,
    SubCriterionRule,
    Suitability,
)
from tender.io.bounded import NotRegularFileError, special_kind
from tender.io.explain import is_model, problems_from, unwrap
from tender.io.yamlsource import YamlDocument, dotted, read_yaml

WEIGHT_TOTAL = Decimal(100)

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class _Parsed(Generic[M]):
    model: M
    source: YamlDocument


def load_dossier(root: Path, *, require_keys: bool = False) -> Dossier:
    """Read and validate the dossier at ``root``; raise :class:`DossierError` listing every problem.

    ``require_keys`` also refuses a member without a public key: 'tender check' and the
    opening, after which committee.yaml is frozen and a member without one could never act.
    """
    if not root.is_dir():
        raise UsageError(f"{root}: no such folder; expected a tender dossier folder")
    criteria = root / CRITERIA
    if not criteria.is_dir():
        raise DossierError(
            [
                Problem(
                    file=f"{CRITERIA}/",
                    line=None,
                    field=None,
                    message="folder is missing; expected procedure.yaml, committee.yaml, "
                    "suitability.yaml and award.yaml in it ('tender init' writes them)",
                )
            ]
        )
    problems: list[Problem] = []
    procedure = _parse(root, f"{CRITERIA}/procedure.yaml", CRITERIA_FILE_BYTES, Procedure, problems)
    committee = _parse(root, f"{CRITERIA}/committee.yaml", CRITERIA_FILE_BYTES, Committee, problems)
    suitability = _parse(
        root, f"{CRITERIA}/suitability.yaml", CRITERIA_FILE_BYTES, Suitability, problems
    )
    award = _parse(root, f"{CRITERIA}/award.yaml", CRITERIA_FILE_BYTES, AwardCriteria, problems)
    bids: list[tuple[str, BidMetadata]] = []
    bid_problems: list[Problem] = []
    # Resolved once: the bid folders in it are real folders (links are refused).
    resolved = (root / SUBMISSIONS).resolve()
    for bid in _parse_submissions(root, problems):
        # Each bid is checked as soon as it is read, so that only its model is kept, not
        # the line of every value (of 10,000 files in a large tender); its problems are
        # listed after the criteria's, as always.
        if procedure:
            bid_problems += _check_bid(resolved, procedure, bid)
        bids.append((bid.model_id, bid.parsed.model))

    if procedure:
        problems += _check_procedure(procedure)
    if award:
        problems += _check_award(award)
    if procedure and award:
        problems += _check_quality_plan(procedure, award)
    if committee:
        problems += _check_committee(committee, {bid_id for bid_id, _ in bids})
        if require_keys:
            problems += _missing_keys(committee)
    if procedure and suitability:
        problems += _check_suitability(procedure, suitability)
    problems += bid_problems
    if problems:
        raise DossierError(problems)
    assert procedure and committee and suitability and award
    return Dossier(
        root=root,
        procedure=procedure.model,
        committee=committee.model,
        suitability=suitability.model,
        award=award.model,
        submissions=tuple(
            Submission(id=bid_id, folder=root / SUBMISSIONS / bid_id, metadata=metadata)
            for bid_id, metadata in bids
        ),
        files=input_digests(root),
    )


def input_digests(root: Path) -> dict[str, str]:
    """SHA-256 of every file in ``criteria/`` and ``submissions/``, by path in the dossier.

    Hidden files (a desktop's ``.DS_Store``) are left out: they are nobody's decision.
    """
    digests: dict[str, str] = {}
    for top in (CRITERIA, SUBMISSIONS):
        for path in sorted((root / top).rglob("*")):
            relative = path.relative_to(root)
            if any(part.startswith(".") for part in relative.parts) or not path.is_file():
                continue
            with path.open("rb") as stream:
                digests[relative.as_posix()] = hashlib.file_digest(stream, "sha256").hexdigest()
    return digests


def _parse(
    root: Path, relative: str, limit: int, model: type[M], problems: list[Problem]
) -> _Parsed[M] | None:
    path = root / relative
    if path.is_symlink():
        problems.append(
            Problem(
                file=relative, line=None, field=None, message="is a link; expected the file itself"
            )
        )
        return None
    if not path.is_file():
        problems.append(Problem(file=relative, line=None, field=None, message=_not_a_file(path)))
        return None
    try:
        source = read_yaml(path, display=relative, limit=limit)
    except DossierError as error:
        problems += error.problems
        return None
    except NotRegularFileError as error:  # swapped for a pipe or device since the check above
        problems.append(
            Problem(file=relative, line=None, field=None, message=_not_regular(error.what))
        )
        return None
    if not isinstance(source.data, dict):
        problems.append(
            Problem(
                file=relative,
                line=1,
                field=None,
                message=f"expected a mapping of keys to values, found {_shape(source.data)}",
            )
        )
        return None
    try:
        return _Parsed(model.model_validate(source.data), source)
    except ValidationError as error:
        problems += problems_from(error, source, model)
        return None


def _not_a_file(path: Path) -> str:
    """Why ``path``, which is not a regular file, cannot be read: it is missing or what it is."""
    what = _special(path)
    if what is None:
        return "file is missing"
    if what == "a folder":
        return "is a folder; expected a file"
    return _not_regular(what)


def _special(path: Path) -> str | None:
    """What is at ``path`` when it is not a regular file (a folder, a named pipe...); None when
    nothing is there."""
    try:
        return special_kind(path.stat().st_mode)
    except OSError:
        return None


def _not_regular(what: str) -> str:
    return f"is {what}, not a regular file; put the file itself here"


def _shape(data: object) -> str:
    if data is None:
        return "an empty file"
    if isinstance(data, list):
        return "a list"
    return f"a single value ({data})"


@dataclass(frozen=True)
class _ParsedBid:
    model_id: str
    parsed: _Parsed[BidMetadata]


def _parse_submissions(root: Path, problems: list[Problem]) -> Iterator[_ParsedBid]:
    folder = root / SUBMISSIONS
    if not folder.is_dir():
        problems.append(
            Problem(
                file=f"{SUBMISSIONS}/",
                line=None,
                field=None,
                message="folder is missing; expected one folder per bid",
            )
        )
        return
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith("."):
            continue
        relative = f"{SUBMISSIONS}/{entry.name}"
        if not entry.is_dir() or entry.is_symlink():
            problems.append(
                Problem(
                    file=relative,
                    line=None,
                    field=None,
                    message="expected only bid folders in submissions/",
                )
            )
            continue
        if not SLUG_PATTERN.fullmatch(entry.name):
            problems.append(
                Problem(
                    file=f"{relative}/",
                    line=None,
                    field=None,
                    message=f"'{entry.name}' is not a safe bid id; use 1-64 lowercase letters, digits "
                    "and inner hyphens (e.g. 'bid-001')",
                )
            )
            continue
        parsed = _parse(root, f"{relative}/{BID_FILE}", BID_FILE_BYTES, BidMetadata, problems)
        if parsed:
            yield _ParsedBid(entry.name, parsed)


def _duplicates(
    source: YamlDocument, list_key: str, ids: Sequence[str], what: str
) -> Iterator[Problem]:
    first: dict[str, int] = {}
    for index, item_id in enumerate(ids):
        if item_id in first:
            yield _at(
                source,
                (list_key, index, "id"),
                f"{what} id '{item_id}' is already used on line {first[item_id]}; "
                "ids must be unique",
            )
        else:
            first[item_id] = source.line_of((list_key, index, "id"))


def _at(source: YamlDocument, path: tuple[str | int, ...], message: str) -> Problem:
    return Problem(file=source.file, line=source.line_of(path), field=dotted(path), message=message)


def _check_procedure(procedure: _Parsed[Procedure]) -> Iterator[Problem]:
    model, source = procedure.model, procedure.source
    yield from _duplicates(source, "lots", [lot.id for lot in model.lots], "lot")
    yield from _duplicates(source, "documents", [doc.id for doc in model.documents], "document")
    planned = model.planned
    deadline_day = model.deadline.date()
    if planned.provisional_award and planned.provisional_award < deadline_day:
        yield _at(
            source,
            ("planned", "provisional_award"),
            f"{planned.provisional_award} is before the deadline {deadline_day}",
        )
    if (
        planned.provisional_award
        and planned.definitive_award
        and planned.definitive_award <= planned.provisional_award
    ):
        yield _at(
            source,
            ("planned", "definitive_award"),
            f"{planned.definitive_award} must come after the provisional award "
            f"{planned.provisional_award}",
        )


def _check_award(award: _Parsed[AwardCriteria]) -> Iterator[Problem]:
    model, source = award.model, award.source
    values = model.scale_values
    for index in range(1, len(values)):
        if values[index] <= values[index - 1]:
            yield _at(
                source,
                ("scale", index, "value"),
                f"scale points must rise: {values[index]} follows {values[index - 1]}",
            )
    ids = [sub.id for sub in model.sub_criteria]
    yield from _duplicates(source, "sub_criteria", ids, "sub-criterion")
    total = sum((sub.weight for sub in model.sub_criteria), Decimal(0))
    if total != WEIGHT_TOTAL:
        weights = " + ".join(str(sub.weight) for sub in model.sub_criteria)
        yield _at(
            source,
            ("sub_criteria",),
            f"weights are percentages and must add up to 100; {weights} = {total}",
        )
    low, high = min(values), max(values)
    for index, rule in enumerate(model.threshold):
        if not low <= rule.min <= high:
            yield _at(
                source,
                ("threshold", index, "min"),
                f"{rule.min} cannot be reached on a scale from {low} to {high}",
            )
        elif (
            isinstance(rule, EachSubCriterionRule | SubCriterionRule)
            and model.final_score == "consensus"
            and rule.min not in values
        ):
            points = ", ".join(str(value) for value in values)
            yield _at(
                source,
                ("threshold", index, "min"),
                f"{rule.min} is not a point on the scale ({points}); a consensus score is "
                "always a point, so write the point you mean",
            )
        if isinstance(rule, SubCriterionRule) and rule.sub_criterion not in ids:
            yield _at(
                source,
                ("threshold", index, "sub_criterion"),
                f"unknown sub-criterion '{rule.sub_criterion}'; expected one of: {', '.join(ids)}",
            )


def _check_quality_plan(
    procedure: _Parsed[Procedure], award: _Parsed[AwardCriteria]
) -> Iterator[Problem]:
    document = award.model.quality_plan.document
    if procedure.model.document(document) is None:
        yield _unknown_document(
            award.source, ("quality_plan", "document"), document, procedure.model
        )


def _unknown_document(
    source: YamlDocument, path: tuple[str | int, ...], document: str, procedure: Procedure
) -> Problem:
    known = ", ".join(doc.id for doc in procedure.documents)
    return _at(
        source,
        path,
        f"unknown document '{document}'; expected one declared in criteria/procedure.yaml: {known}",
    )


def _check_committee(committee: _Parsed[Committee], bid_ids: set[str]) -> Iterator[Problem]:
    model, source = committee.model, committee.source
    ids = [person.id for person in model.evaluators]
    yield from _duplicates(source, "evaluators", ids, "evaluator")
    officers = [person.id for person in model.officers]
    for index, officer in enumerate(officers):
        if officer in ids or officers.index(officer) < index:
            yield _at(
                source,
                ("officers", index, "id"),
                f"'{officer}' is named twice; each member is an evaluator or an officer, once",
            )
    if model.chair not in ids and model.chair not in officers:
        members = ", ".join((*ids, *officers))
        yield _at(
            source,
            ("chair",),
            f"the chair '{model.chair}' is not one of the evaluators: {members}"
            + ("" if officers else " (a chair who does not score is listed under officers:)"),
        )
    if model.secretary is not None and model.secretary not in officers:
        yield _at(
            source,
            ("secretary",),
            f"the secretary '{model.secretary}' is not one of the officers"
            f"{': ' + ', '.join(officers) if officers else ''}; a secretary does not score "
            "and is listed under officers:",
        )
    yield from _shared_keys(committee)
    for index, conflict in enumerate(model.conflicts):
        if conflict.evaluator not in ids:
            yield _at(
                source,
                ("conflicts", index, "evaluator"),
                f"unknown evaluator '{conflict.evaluator}'; expected one of: {', '.join(ids)}",
            )
        if conflict.bid not in bid_ids:
            yield _at(
                source,
                ("conflicts", index, "bid"),
                f"unknown bid '{conflict.bid}'; expected a folder name under submissions/",
            )


def _missing_keys(committee: _Parsed[Committee]) -> Iterator[Problem]:
    scoring = len(committee.model.evaluators)
    for number, person in enumerate(committee.model.members):
        if person.key is None:
            place = ("evaluators", number) if number < scoring else ("officers", number - scoring)
            yield _at(
                committee.source,
                (*place, "id"),
                f"{person.id} has no public key; every member signs what they record. "
                f"{person.id} runs 'tender key new --evaluator {person.id}' and the line it "
                "prints is added here as key:",
            )


def _shared_keys(committee: _Parsed[Committee]) -> Iterator[Problem]:
    """Refuse one public key for two members: an entry it signs could be either's."""
    first: dict[str, str] = {}
    scoring = len(committee.model.evaluators)
    for number, person in enumerate(committee.model.members):
        if person.key is None:
            continue
        if person.key in first:
            place = ("evaluators", number) if number < scoring else ("officers", number - scoring)
            yield _at(
                committee.source,
                (*place, "key"),
                f"the same public key as {first[person.key]}'s; each member signs "
                f"with a key of their own ('tender key new --evaluator {person.id}' makes one)",
            )
        else:
            first[person.key] = person.id


def _check_suitability(
    procedure: _Parsed[Procedure], suitability: _Parsed[Suitability]
) -> Iterator[Problem]:
    model, source = suitability.model, suitability.source
    yield from _duplicates(
        source, "requirements", [req.id for req in model.requirements], "requirement"
    )
    for index, requirement in enumerate(model.requirements):
        check = requirement.check
        path: tuple[str | int, ...] = ("requirements", index, "check")
        if isinstance(check, DocumentCheck | DocumentAgeCheck | ExclusionCheck):
            if procedure.model.document(check.document) is None:
                yield _unknown_document(
                    source, (*path, "document"), check.document, procedure.model
                )
        elif isinstance(check, FieldCheck):
            problem = _field_problem(check)
            if problem:
                yield _at(source, (*path, "field"), problem)


def _field_problem(check: FieldCheck) -> str | None:
    """Why ``check.field`` does not name a field of bid.yaml that its rule can apply to."""
    annotation: Any = BidMetadata
    for part in check.field.split("."):
        annotation = unwrap(annotation)
        fields = annotation.model_fields if is_model(annotation) else {}
        if part not in fields:
            known = ", ".join(_field_paths(BidMetadata))
            return f"'{check.field}' is not a field of bid.yaml; expected one of: {known}"
        annotation = fields[part].annotation
    target = unwrap(annotation)
    if is_model(target):
        return f"'{check.field}' is a group of fields; name one of its fields"
    if check.pattern is not None and target is not str:
        return f"a pattern applies to text, and '{check.field}' is not text"
    return None


def _field_paths(model: type[BaseModel], prefix: str = "") -> Iterator[str]:
    for name, info in model.model_fields.items():
        target = unwrap(info.annotation)
        if name == "documents":
            continue
        if is_model(target):
            yield from _field_paths(target, f"{prefix}{name}.")
        else:
            yield f"{prefix}{name}"


def _check_bid(
    submissions: Path, procedure: _Parsed[Procedure], bid: _ParsedBid
) -> Iterator[Problem]:
    source, metadata = bid.parsed.source, bid.parsed.model
    folder = submissions / bid.model_id
    for document_id, document in metadata.documents.items():
        if procedure.model.document(document_id) is None:
            yield _unknown_document(
                source, ("documents", document_id), document_id, procedure.model
            )
            continue
        path = folder / document.file
        where = ("documents", document_id, "file")
        if not path.is_file():
            what = _special(path)
            found = (
                "is not in the bid's folder"
                if what is None or what == "a folder"
                else _not_regular(what)
            )
            yield _at(source, where, f"'{document.file}' {found}")
        elif path.is_symlink() and path.resolve().parent != folder:
            # Only a link can lead elsewhere: the file is a plain name in a resolved folder.
            yield _at(source, where, f"'{document.file}' points outside the bid's folder")
