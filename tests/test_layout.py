"""The house (issue 15, DESIGN.md §1): imports follow the flow, and no two modules need each other.

Reads every module of the engine and cli.py with `ast` (nothing is imported),
including imports made inside functions and under TYPE_CHECKING: a lazy
import is still a dependency, only a cheaper one. The stages are the
subpackages of inbox_worker/; data flows reading -> deciding -> writing, the
store and the mail systems sit at the edges, and the command line on top.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "inbox_worker"
ENGINE_TOP = "cli"  # cli.py at the repository root, with inbox_worker/commands/

# stage -> the stages (and top-level parts) it must never import. What is not
# named is allowed: deciding may import reading, writing may import reading
# and deciding, the desk and the pass may import any stage.
_ABOVE_READING = {"deciding", "writing", "store", "mail", "outbox", "run", "desk", "commands",
                  "worker", "app", ENGINE_TOP}
FORBIDDEN = {
    "reading": _ABOVE_READING,
    "deciding": _ABOVE_READING - {"deciding"},
    "writing": _ABOVE_READING - {"deciding", "writing"},
    "store": {"deciding", "writing", "outbox", "run", "desk", "commands", "worker", "app",
              ENGINE_TOP},
    "mail": {"reading", "deciding", "store", "outbox", "run", "desk", "commands", "worker", "app",
             ENGINE_TOP},
    # The pass and its parts never reach up into the organiser's commands.
    "outbox": {"desk", "commands", "worker", "app", ENGINE_TOP},
    "run": {"desk", "commands", "worker", "app", ENGINE_TOP},
    "worker": {"desk", "commands", "app", ENGINE_TOP},
    "desk": {"commands", ENGINE_TOP},
    # The shared records and settings sit under everything.
    **{
        base: _ABOVE_READING | {"reading"}
        for base in ("model", "config", "errors", "clock")
    },
}
# Modules that touch disk, network, processes or the database: never in a pure stage.
IO_MODULES = {"sqlite3", "sqlite_utils", "imapclient", "imaplib", "smtplib", "socket",
              "subprocess", "multiprocessing", "concurrent", "fcntl", "shutil", "urllib",
              "http", "aiosmtpd", "requests"}
PURE_STAGES = ("reading", "deciding", "writing")
# Each outside system is imported by one module (or one package) only.
ONE_HOME = {
    "imapclient": "inbox_worker.mail.imap",
    "smtplib": "inbox_worker.mail.smtp",
    "jinja2": "inbox_worker.writing.render",
    "icalendar": "inbox_worker.writing.invite",
    "idna": "inbox_worker.writing.idn",
    "sqlite_utils": "inbox_worker.store",
    "msal": "inbox_worker.mail.oauth2_flows",
}


def modules() -> dict[str, Path]:
    found = {ENGINE_TOP: ROOT / "cli.py"}
    for path in sorted((ROOT / PACKAGE).rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


MODULES = modules()


def imports_of(name: str, path: Path) -> Iterator[tuple[str, int]]:
    """(imported module, line) for every import in the file, resolved to a full name."""
    is_package = path.name == "__init__.py"
    package = name if is_package else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            for alias in node.names:
                sub = f"{module}.{alias.name}"
                # `from . import phrases` imports a module; `from .x import f` a name.
                yield (sub if sub in MODULES else module), node.lineno


def internal_imports(name: str) -> set[str]:
    return {m for m, _ in imports_of(name, MODULES[name]) if m in MODULES and m != name}


def stage_of(name: str) -> str:
    """'reading' for inbox_worker.reading.classify, 'worker' for inbox_worker.worker."""
    if name == ENGINE_TOP:
        return ENGINE_TOP
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else PACKAGE


def test_the_walk_sees_the_stages() -> None:
    """A guard on the guard: the layout this file checks is the one on disk."""
    stages = {stage_of(m) for m in MODULES}
    assert {"reading", "deciding", "writing", "mail", "store", "outbox", "run", "desk", "commands",
            "worker"} <= stages
    assert internal_imports("inbox_worker.deciding.conversation"), "the walk finds no imports"


def against_the_flow(name: str, targets: set[str]) -> list[str]:
    forbidden = FORBIDDEN.get(stage_of(name), set())
    return sorted(f"{name} imports {t}" for t in targets if stage_of(t) in forbidden)


@pytest.mark.parametrize("name", sorted(MODULES))
def test_imports_follow_the_flow(name: str) -> None:
    wrong = against_the_flow(name, internal_imports(name))
    assert not wrong, "imports against the flow (DESIGN.md §1):\n" + "\n".join(wrong)


def test_the_flow_check_catches_what_the_issue_names() -> None:
    """reading -> deciding, deciding -> store, any stage -> cli: each is caught."""
    assert against_the_flow("inbox_worker.reading.classify", {"inbox_worker.deciding.workflow"})
    assert against_the_flow("inbox_worker.deciding.workflow", {"inbox_worker.store.mailbox"})
    assert against_the_flow("inbox_worker.writing.render", {"cli"})
    assert against_the_flow("inbox_worker.desk.byhand", {"inbox_worker.commands.common"})
    assert not against_the_flow("inbox_worker.deciding.workflow", {"inbox_worker.reading.message"})


@pytest.mark.parametrize("name", sorted(m for m in MODULES if stage_of(m) in PURE_STAGES))
def test_pure_stages_touch_no_io(name: str) -> None:
    io = sorted(
        f"{name}:{line} imports {module}"
        for module, line in imports_of(name, MODULES[name])
        if module.split(".")[0] in IO_MODULES
    )
    assert not io, "a pure stage takes its data as arguments:\n" + "\n".join(io)


def test_each_outside_library_has_one_home() -> None:
    strays = sorted(
        f"{name} imports {module} (its home is {ONE_HOME[module.split('.')[0]]})"
        for name, path in MODULES.items()
        for module, _ in imports_of(name, path)
        if module.split(".")[0] in ONE_HOME
        and not (name + ".").startswith(ONE_HOME[module.split(".")[0]] + ".")
    )
    assert not strays, "\n".join(strays)


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle, as the list of modules around it, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start)):
            return cycle
    return None


def test_no_import_cycles() -> None:
    graph = {name: internal_imports(name) for name in MODULES}
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_the_cycle_finder_finds_cycles() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set(), "c": {"b"}}) is None
