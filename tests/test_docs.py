"""Every command documents itself: help with an example, and a row in the README.

Walks the click tree, so a command added without help, without an example or
without a line in the README's command reference fails here.
"""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from cli import cli

README = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")


def commands(group: click.Group = cli, prefix: str = "") -> list[tuple[str, click.Command]]:
    found: list[tuple[str, click.Command]] = []
    for name, command in sorted(group.commands.items()):
        path = f"{prefix}{name}"
        if isinstance(command, click.Group):
            found += commands(command, path + " ")
        else:
            found.append((path, command))
    return found


def reference_rows() -> set[str]:
    """The command names in the first column of the README's command reference table."""
    section = README[README.index("## Command reference") :]
    section = section[: section.index("\n## ", 1)]
    rows = set()
    for cell in re.findall(r"^\| `([^`]+)`", section, re.MULTILINE):
        words = [w for w in cell.split() if re.fullmatch(r"[a-z][a-z-]*", w)]
        rows.add(" ".join(words))
    return rows


ALL = commands()


def test_the_walk_finds_the_commands() -> None:
    names = {name for name, _ in ALL}
    assert {"poll", "leads list", "leads erase", "replies send", "messages reprocess"} <= names
    assert len(ALL) > 25


@pytest.mark.parametrize(("name", "command"), ALL, ids=[n for n, _ in ALL])
def test_every_command_has_help_with_an_example(name: str, command: click.Command) -> None:
    text = command.help or ""
    assert text.strip(), f"{name} has no help"
    assert re.search(r"^\s*Example[^:\n]*:\n[^\n]*\binbox-worker ", text, re.MULTILINE), (
        f"{name}: its help must end in an 'Example:' block"
    )


@pytest.mark.parametrize("name", [n for n, _ in ALL])
def test_every_command_is_in_the_readme_reference(name: str) -> None:
    assert name in reference_rows(), f"README command reference lacks `{name}`"
