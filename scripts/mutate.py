"""Mutation testing for one module: change it one small way at a time and see if the tests notice.

The module is parsed with ``ast`` and each mutant makes one change to it: a comparison
(``<``/``<=``, ``>``/``>=``, ``==``/``!=``, ``in``/``not in``, each way round), a boolean
operator (``and``/``or``), a ``not`` removed, an integer constant ``n`` made ``n + 1``,
``True``/``False`` swapped, or a ``raise`` statement made ``pass``. Docstrings, type
annotations and f-strings are left alone. The change is made in the source text itself, so
every other line, comment and line number stays as it was.

For each mutant the changed text is written over the module (the original is kept in
``MODULE.mutate-backup`` and always written back, also on Ctrl-C or SIGTERM; a backup left
by a run that was killed outright is written back when the next run starts), the module's
``__pycache__`` entry is removed and ``PYTHONDONTWRITEBYTECODE=1`` is set so no stale
bytecode runs, and the tests are run with
``python -m pytest -x -q -p no:cacheprovider -p no:randomly [-n N] TESTS``. A mutant is
*killed* when pytest fails, *survived* when it passes, and *timeout* (counted as killed,
but listed) when it runs past ``--timeout``. Before the mutants the tests are run once on
the untouched module; they must pass.

    .venv/bin/python scripts/mutate.py --module tender/domain/deadlines.py
    .venv/bin/python scripts/mutate.py --module tender/bids/validity.py -n 2 --limit 40
    .venv/bin/python scripts/mutate.py --module tender/award/decisions.py --list
    .venv/bin/python scripts/mutate.py --module pkg/rules.py --tests tests/test_rules.py \\
        --timeout 30 --json results.json

Without ``--tests`` the court-critical modules run the tests in ``DEFAULT_TESTS``. The tool
refuses to run when ``git status --porcelain -- MODULE`` shows the module is changed or
not committed, so a crash can never cost anyone their work. Each run (``--list`` too)
holds an exclusive ``flock`` on the module until it ends, and refuses to start while
another run holds it: a second run would otherwise take the first one's backup for one
left by a killed run and write it back over the mutant under test, or mutate a mutant.
The kernel drops the lock when its process dies, however it dies. Run it from the
repository's root; paths are taken from the current directory.

Exits 0 when the run is complete (whatever survived), 2 when it refuses or cannot start,
and 128 + the signal's number when interrupted.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import fcntl
import io
import json
import os
import shlex
import signal
import subprocess
import sys
import time
import tokenize
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import FrameType

DEFAULT_TESTS: dict[str, tuple[str, ...]] = {
    "tender/award/decisions.py": ("tests/test_decisions.py", "tests/test_audit.py"),
    "tender/record/recorder.py": ("tests/test_scoring.py", "tests/test_record_properties.py"),
    "tender/record/book.py": (
        "tests/test_scoring.py",
        "tests/test_ledger.py",
        "tests/test_scale.py",
    ),
    "tender/record/ledger.py": ("tests/test_ledger.py", "tests/test_ledger_properties.py"),
    "tender/domain/deadlines.py": ("tests/test_deadlines.py",),
    "tender/bids/validity.py": ("tests/test_validity.py",),
    "tender/bids/suitability.py": ("tests/test_suitability.py",),
}

PYTEST_OPTIONS = ("-x", "-q", "-p", "no:cacheprovider", "-p", "no:randomly")
BACKUP_SUFFIX = ".mutate-backup"

COMPARE_SWAPS: dict[type[ast.cmpop], tuple[str, str]] = {
    ast.Lt: ("<", "<="),
    ast.LtE: ("<=", "<"),
    ast.Gt: (">", ">="),
    ast.GtE: (">=", ">"),
    ast.Eq: ("==", "!="),
    ast.NotEq: ("!=", "=="),
    ast.In: ("in", "not in"),
    ast.NotIn: ("not in", "in"),
}

KILLED = "killed"
SURVIVED = "survived"
TIMEOUT = "timeout"


class RefusalError(Exception):
    """The tool will not run; the message says why."""


@dataclass(frozen=True)
class Mutant:
    """One change to the module: the bytes ``start:end`` of its text replaced by ``replacement``."""

    number: int
    kind: str
    line: int
    start: int
    end: int
    replacement: str
    original_line: str
    mutated_line: str

    def apply(self, source: bytes) -> bytes:
        return source[: self.start] + self.replacement.encode() + source[self.end :]


@dataclass
class Outcome:
    """What the tests made of one mutant."""

    mutant: Mutant
    status: str
    seconds: float
    returncode: int | None


@dataclass
class Run:
    """Everything one run found, as written by ``--json``."""

    module: str
    tests: list[str]
    command: str
    timeout: float
    baseline_seconds: float
    outcomes: list[Outcome] = field(default_factory=list)
    wall_seconds: float = 0.0
    generated: int = 0


# --- finding the mutants -------------------------------------------------------------------


class _Text:
    """The module's text as bytes, with ``ast`` positions (UTF-8 columns) turned into offsets."""

    def __init__(self, source: bytes) -> None:
        self.source = source
        self.line_starts = [0]
        for index, byte in enumerate(source):
            if byte == ord("\n"):
                self.line_starts.append(index + 1)
        self.text = source.decode("utf-8")
        self.tokens: list[tuple[int, int, tokenize.TokenInfo]] = []
        lines = self.text.splitlines(keepends=True)
        for token in tokenize.generate_tokens(io.StringIO(self.text).readline):
            if token.type in (tokenize.ENDMARKER, tokenize.DEDENT):
                continue
            start = self._token_offset(lines, token.start)
            end = self._token_offset(lines, token.end)
            self.tokens.append((start, end, token))

    def _token_offset(self, lines: list[str], position: tuple[int, int]) -> int:
        row, column = position
        if row > len(lines):
            return len(self.source)
        return self.line_starts[row - 1] + len(lines[row - 1][:column].encode())

    def offset(self, line: int, column: int) -> int:
        return self.line_starts[line - 1] + column

    def start(self, node: ast.expr | ast.stmt) -> int:
        return self.offset(node.lineno, node.col_offset)

    def end(self, node: ast.expr | ast.stmt) -> int:
        assert node.end_lineno is not None and node.end_col_offset is not None
        return self.offset(node.end_lineno, node.end_col_offset)

    def words(self, start: int, end: int) -> list[tuple[int, int, str]]:
        """The operator and name tokens between two offsets (not brackets, comments, line ends)."""
        found = []
        for token_start, token_end, token in self.tokens:
            inside = token_start >= start and token_end <= end
            if inside and (
                token.type == tokenize.NAME
                or (token.type == tokenize.OP and token.string not in "()")
            ):
                found.append((token_start, token_end, token.string))
        return found

    def line_of(self, offset: int) -> int:
        low, high = 0, len(self.line_starts) - 1
        while low < high:
            middle = (low + high + 1) // 2
            if self.line_starts[middle] <= offset:
                low = middle
            else:
                high = middle - 1
        return low + 1

    def line_text(self, source: bytes, line: int) -> str:
        starts = [0] + [i + 1 for i, byte in enumerate(source) if byte == ord("\n")]
        stop = starts[line] - 1 if line < len(starts) else len(source)
        return source[starts[line - 1] : stop].decode("utf-8", errors="replace").strip()


_SKIPPED_FIELDS = {"annotation", "returns", "type_comment", "type_params"}


def _children(node: ast.AST) -> Iterator[ast.AST]:
    """The nodes below ``node`` that may be changed: no annotations, docstrings or f-strings."""
    for name, value in ast.iter_fields(node):
        if name in _SKIPPED_FIELDS:
            continue
        items = value if isinstance(value, list) else [value]
        for index, item in enumerate(items):
            if not isinstance(item, ast.AST):
                continue
            if (
                name == "body"
                and index == 0
                and isinstance(
                    node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef
                )
                and isinstance(item, ast.Expr)
                and isinstance(item.value, ast.Constant)
                and isinstance(item.value.value, str)
            ):
                continue  # a docstring
            if isinstance(item, ast.JoinedStr):
                continue  # positions inside f-strings are not reliable before Python 3.12
            if type(item).__name__ == "TypeAlias":
                continue  # ``type X = ...`` is an annotation too
            yield item


def _walk(node: ast.AST) -> Iterator[ast.AST]:
    for child in _children(node):
        yield child
        yield from _walk(child)


Change = tuple[str, int, int, str]  # kind, start offset, end offset, replacement text


def _compare(text: _Text, node: ast.Compare) -> Iterator[Change]:
    operands = [node.left, *node.comparators]
    for index, op in enumerate(node.ops):
        swap = COMPARE_SWAPS.get(type(op))
        words = text.words(text.end(operands[index]), text.start(operands[index + 1]))
        if swap is not None and " ".join(word for _, _, word in words) == swap[0]:
            yield (f"compare {swap[0]} -> {swap[1]}", words[0][0], words[-1][1], swap[1])


def _boolean(text: _Text, node: ast.BoolOp) -> Iterator[Change]:
    """All of the node's operators change together: ``a and b and c`` -> ``a or b or c``."""
    name, other = ("and", "or") if isinstance(node.op, ast.And) else ("or", "and")
    spans: list[tuple[int, int, str]] = []
    for left, right in zip(node.values, node.values[1:], strict=False):
        words = text.words(text.end(left), text.start(right))
        if [word for _, _, word in words] != [name]:
            return
        spans.append(words[0])
    first, last = spans[0][0], spans[-1][1]
    pieces: list[str] = []
    cut = first
    for start, end, _ in spans:
        pieces += [text.source[cut:start].decode(), other]
        cut = end
    yield (f"boolean {name} -> {other}", first, last, "".join(pieces))


def _not(text: _Text, node: ast.UnaryOp) -> Iterator[Change]:
    """``not x`` -> ``x``: the ``not`` and the space after it go, brackets stay."""
    words = text.words(text.start(node), text.start(node.operand))
    if words and words[0][2] == "not":
        following = [start for start, _, _ in text.tokens if start >= words[0][1]]
        if following:
            yield ("remove not", words[0][0], min(following), "")


def _constant(text: _Text, node: ast.Constant) -> Iterator[Change]:
    start, end = text.start(node), text.end(node)
    if isinstance(node.value, bool):
        yield (f"{node.value} -> {not node.value}", start, end, str(not node.value))
    elif isinstance(node.value, int):
        yield (f"int {node.value} -> {node.value + 1}", start, end, str(node.value + 1))


def _changes(text: _Text, tree: ast.Module) -> Iterator[Change]:
    for node in _walk(tree):
        if isinstance(node, ast.Compare):
            yield from _compare(text, node)
        elif isinstance(node, ast.BoolOp):
            yield from _boolean(text, node)
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            yield from _not(text, node)
        elif isinstance(node, ast.Constant):
            yield from _constant(text, node)
        elif isinstance(node, ast.Raise):
            yield ("raise -> pass", text.start(node), text.end(node), "pass")


def find_mutants(source: bytes) -> list[Mutant]:
    """Every one-change mutant of the module's text that still parses, in the order of the text."""
    text = _Text(source)
    tree = ast.parse(source)
    changes = sorted(
        set(_changes(text, tree)), key=lambda change: (change[1], change[2], change[0])
    )
    mutants: list[Mutant] = []
    for kind, start, end, replacement in changes:
        mutated = source[:start] + replacement.encode() + source[end:]
        try:
            ast.parse(mutated)
        except SyntaxError:
            continue
        line = text.line_of(start)
        mutants.append(
            Mutant(
                number=len(mutants) + 1,
                kind=kind,
                line=line,
                start=start,
                end=end,
                replacement=replacement,
                original_line=text.line_text(source, line),
                mutated_line=text.line_text(mutated, line),
            )
        )
    return mutants


def spread(mutants: list[Mutant], limit: int | None) -> list[Mutant]:
    """``limit`` mutants spread evenly over the module (all of them without a limit)."""
    if limit is None or limit >= len(mutants):
        return mutants
    if limit <= 0:
        return []
    step = len(mutants) / limit
    return [mutants[int(index * step + step / 2)] for index in range(limit)]


# --- writing the module and putting it back ------------------------------------------------


class Guard:
    """Writes mutants over the module and always puts the original back."""

    def __init__(self, module: Path) -> None:
        self.module = module
        self.backup = module.with_name(module.name + BACKUP_SUFFIX)
        self.original: bytes | None = None
        self.child: subprocess.Popen[bytes] | None = None
        self.held: io.BufferedReader | None = None

    def lock(self) -> None:
        """Hold an exclusive lock on the module; refuse while another run holds it.

        Taken before anything is read or written back, so a backup that exists while the lock
        is free was left by a run that is no longer alive. The module is only ever rewritten
        in place (same inode), so the lock holds for the whole run.
        """
        handle = self.module.open("rb")
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as error:
            handle.close()
            raise RefusalError(
                f"another run of mutate.py is using {self.module} (it holds the lock); "
                "wait for it to finish: runs on one module share its file"
            ) from error
        self.held = handle

    def unlock(self) -> None:
        if self.held is not None:
            self.held.close()  # closing the file releases the lock
            self.held = None

    def recover(self) -> bool:
        """Write back a backup an interrupted run left behind; True if there was one."""
        if not self.backup.exists():
            return False
        saved = self.backup.read_bytes()
        self.module.write_bytes(saved)
        if self.module.read_bytes() != saved:
            raise RefusalError(f"could not write {self.backup} back over {self.module}")
        self.backup.unlink()
        self.clear_bytecode()
        return True

    def keep(self) -> None:
        """Keep the original in memory and in the backup file before anything is changed."""
        self.original = self.module.read_bytes()
        partial = self.backup.with_name(self.backup.name + ".partial")
        with partial.open("wb") as handle:
            handle.write(self.original)
            handle.flush()
            os.fsync(handle.fileno())
        partial.replace(self.backup)  # a backup is never half written

    def write(self, source: bytes) -> None:
        self.module.write_bytes(source)
        self.clear_bytecode()

    def put_back(self) -> None:
        """Write the original over the module (safe to call more than once, or from a handler)."""
        if self.original is None:
            return
        if self.module.read_bytes() != self.original:
            self.module.write_bytes(self.original)
        self.clear_bytecode()

    def finish(self) -> None:
        """Put the original back and, once the module is the original again, drop the backup."""
        self.put_back()
        if self.original is not None and self.module.read_bytes() == self.original:
            self.backup.unlink(missing_ok=True)

    def clear_bytecode(self) -> None:
        cache = self.module.parent / "__pycache__"
        for compiled in cache.glob(f"{self.module.stem}.*.pyc"):
            compiled.unlink(missing_ok=True)

    def stop_child(self) -> None:
        child = self.child
        if child is not None and child.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.pid, signal.SIGKILL)
            child.wait()


def _git(*words: str) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(["git", *words], capture_output=True, text=True, check=False)
    except FileNotFoundError as error:
        raise RefusalError("git is not installed; the module must be committed first") from error


def check_committed(module: Path) -> None:
    """Refuse a module with changes git does not have, so that restoring can never lose work."""
    status = _git("status", "--porcelain", "--", str(module))
    if status.returncode != 0:
        raise RefusalError(f"git status failed for {module}: {status.stderr.strip()}")
    if _git("ls-files", "--error-unmatch", "--", str(module)).returncode != 0:
        raise RefusalError(f"{module} is not committed to git; commit it first")
    if status.stdout.strip():
        raise RefusalError(
            f"{module} has changes git does not have ({status.stdout.strip()}); "
            "commit or stash them first"
        )


# --- running the tests ---------------------------------------------------------------------


def pytest_command(tests: Sequence[str], workers: int | None) -> list[str]:
    command = [sys.executable, "-m", "pytest", *PYTEST_OPTIONS]
    if workers is not None:
        command += ["-n", str(workers)]
    return [*command, *tests]


def run_tests(guard: Guard, command: list[str], timeout: float | None) -> tuple[int | None, float]:
    """Run the tests; the return code (None on timeout) and the seconds taken."""
    environment = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    started = time.perf_counter()
    guard.child = subprocess.Popen(
        command,
        env=environment,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        returncode: int | None = guard.child.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        returncode = None
    finally:
        guard.stop_child()
        guard.child = None
    return returncode, time.perf_counter() - started


def mutate(
    guard: Guard, mutants: list[Mutant], command: list[str], timeout: float, run: Run
) -> None:
    assert guard.original is not None
    width = len(str(len(mutants)))
    for index, mutant in enumerate(mutants, start=1):
        guard.write(mutant.apply(guard.original))
        try:
            returncode, seconds = run_tests(guard, command, timeout)
        finally:
            guard.put_back()
        if returncode is None:
            status = TIMEOUT
        elif returncode == 0:
            status = SURVIVED
        else:
            status = KILLED
        run.outcomes.append(Outcome(mutant, status, seconds, returncode))
        print(
            f"[{index:>{width}}/{len(mutants)}] {status:<8} {seconds:6.1f}s "
            f"#{mutant.number} line {mutant.line}: {mutant.kind}",
            flush=True,
        )


# --- reporting -----------------------------------------------------------------------------


def summary(run: Run) -> dict[str, float | int]:
    counts = dict.fromkeys((KILLED, SURVIVED, TIMEOUT), 0)
    for outcome in run.outcomes:
        counts[outcome.status] += 1
    total = len(run.outcomes)
    return {
        "mutants": total,
        "killed": counts[KILLED] + counts[TIMEOUT],
        "survived": counts[SURVIVED],
        "timeouts": counts[TIMEOUT],
        "survival_rate": round(counts[SURVIVED] / total, 4) if total else 0.0,
    }


def report(run: Run) -> None:
    figures = summary(run)
    print()
    for status, title in ((SURVIVED, "survivors"), (TIMEOUT, "timeouts (counted as killed)")):
        listed = [outcome for outcome in run.outcomes if outcome.status == status]
        if listed:
            print(f"{title}:")
            for outcome in listed:
                mutant = outcome.mutant
                print(f"  {run.module}:{mutant.line}: #{mutant.number} {mutant.kind}")
                print(f"      {mutant.original_line}")
                print(f"   -> {mutant.mutated_line}")
    print(
        f"{run.module}: {figures['mutants']} mutants, {figures['killed']} killed "
        f"({figures['timeouts']} by timeout), {figures['survived']} survived; "
        f"survival rate {figures['survival_rate']:.1%}; {run.wall_seconds:.0f}s"
    )


def write_json(run: Run, path: Path) -> None:
    data = {
        "module": run.module,
        "tests": run.tests,
        "command": run.command,
        "timeout_seconds": run.timeout,
        "baseline_seconds": round(run.baseline_seconds, 2),
        "wall_seconds": round(run.wall_seconds, 2),
        "mutants_generated": run.generated,
        **summary(run),
        "results": [
            {
                **{
                    key: value
                    for key, value in asdict(outcome.mutant).items()
                    if key not in ("start", "end")
                },
                "status": outcome.status,
                "seconds": round(outcome.seconds, 2),
                "returncode": outcome.returncode,
            }
            for outcome in run.outcomes
        ],
    }
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


# --- the command line ----------------------------------------------------------------------


def parse_arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=(__doc__ or "").split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--module", required=True, type=Path, help="the module to mutate")
    parser.add_argument(
        "--tests", nargs="+", metavar="PATH", help="the tests to run (default: DEFAULT_TESTS)"
    )
    parser.add_argument(
        "--timeout",
        type=float,
        help="seconds per mutant before it counts as a timeout (default: 3 x baseline + 10)",
    )
    parser.add_argument("--limit", type=int, metavar="N", help="run N mutants spread evenly")
    parser.add_argument("--only", type=int, nargs="+", metavar="NUMBER", help="run these mutants")
    parser.add_argument("-n", dest="workers", type=int, metavar="N", help="pytest-xdist workers")
    parser.add_argument("--list", action="store_true", help="list the mutants and stop")
    parser.add_argument("--json", type=Path, metavar="FILE", help="write the results as JSON")
    return parser.parse_args(argv)


def display(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def choose_tests(module: str, tests: list[str] | None) -> list[str]:
    if tests is None:
        if module not in DEFAULT_TESTS:
            raise RefusalError(f"no default tests for {module}; name them with --tests")
        tests = list(DEFAULT_TESTS[module])
    missing = [test for test in tests if not Path(test.split("::")[0]).exists()]
    if missing:
        raise RefusalError(f"tests not found: {', '.join(missing)}")
    return tests


def list_mutants(module: str, chosen: list[Mutant], total: int) -> None:
    for mutant in chosen:
        print(f"#{mutant.number} {module}:{mutant.line}: {mutant.kind}")
        print(f"      {mutant.original_line}")
        print(f"   -> {mutant.mutated_line}")
    print(f"{len(chosen)} of {total} mutants")


def execute(
    guard: Guard, run: Run, chosen: list[Mutant], command: list[str], given: float | None
) -> bool:
    """The baseline, then every chosen mutant; False when the tests fail on the original."""

    def on_signal(number: int, frame: FrameType | None) -> None:
        guard.stop_child()
        guard.finish()
        raise SystemExit(128 + number)

    previous = {
        number: signal.signal(number, on_signal) for number in (signal.SIGINT, signal.SIGTERM)
    }
    started = time.perf_counter()
    try:
        print(f"baseline: {run.command}", flush=True)
        returncode, run.baseline_seconds = run_tests(guard, command, None)
        if returncode != 0:
            print(
                f"mutate: the tests fail on the untouched module (exit {returncode})",
                file=sys.stderr,
            )
            return False
        run.timeout = given if given is not None else 3 * run.baseline_seconds + 10
        print(
            f"baseline passed in {run.baseline_seconds:.1f}s; timeout {run.timeout:.0f}s per mutant",
            flush=True,
        )
        guard.keep()
        try:
            mutate(guard, chosen, command, run.timeout, run)
        finally:
            guard.stop_child()
            guard.finish()
        run.wall_seconds = time.perf_counter() - started
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    return True


def main(argv: Sequence[str] | None = None) -> int:
    arguments = parse_arguments(argv)
    module_path: Path = arguments.module
    module = display(module_path)
    guard = Guard(module_path)
    try:
        return _main(arguments, module_path, module, guard)
    finally:
        guard.unlock()


def _main(arguments: argparse.Namespace, module_path: Path, module: str, guard: Guard) -> int:
    try:
        if not module_path.is_file() or module_path.suffix != ".py":
            raise RefusalError(f"{module} is not a Python file")
        guard.lock()
        if guard.recover():
            print(f"wrote back {guard.backup} left by an interrupted run", file=sys.stderr)
        mutants = find_mutants(module_path.read_bytes())
        chosen = spread(mutants, arguments.limit)
        if arguments.only:
            chosen = [mutant for mutant in mutants if mutant.number in set(arguments.only)]
        if arguments.list:
            list_mutants(module, chosen, len(mutants))
            return 0
        tests = choose_tests(module, arguments.tests)
        check_committed(module_path)
    except RefusalError as error:
        print(f"mutate: {error}", file=sys.stderr)
        return 2
    command = pytest_command(tests, arguments.workers)
    run = Run(module, tests, shlex.join([display(Path(sys.executable)), *command[1:]]), 0.0, 0.0)
    run.generated = len(mutants)
    if not execute(guard, run, chosen, command, arguments.timeout):
        return 2
    report(run)
    if arguments.json is not None:
        write_json(run, arguments.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
