"""The `templates` group: the built-in reply templates written out to edit."""

from __future__ import annotations

from pathlib import Path

import click

from inbox_worker.commands.common import fail, plural


@click.group()
def templates() -> None:
    """The reply templates: write out the built-in ones to edit."""


@templates.command("copy")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite files that are already there.")
def templates_copy(folder: Path, force: bool) -> None:
    """Write the built-in templates into FOLDER (nl/, en/, ...) for editing.

    Point the config at it (replies.templates = "FOLDER"), edit the texts you
    want to change and delete the others: a file in your folder wins over the
    built-in one of the same name, and the ones you leave out keep getting the
    improvements of later versions. 'doctor' names the files in use.

    \b
    Example:
        inbox-worker templates copy my-templates
    """
    import shutil

    from inbox_worker.writing.render import default_template_dir

    builtin = default_template_dir()
    files = sorted(p for p in builtin.rglob("*") if p.is_file() and p.suffix in (".j2", ".md"))
    there = [p.relative_to(builtin) for p in files if (folder / p.relative_to(builtin)).exists()]
    if there and not force:
        fail(
            f"{folder} already holds {', '.join(p.as_posix() for p in there[:3])}"
            f"{' ...' if len(there) > 3 else ''} (use --force to overwrite)"
        )
    try:
        for source in files:
            target = folder / source.relative_to(builtin)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
    except OSError as exc:
        fail(f"cannot write to {folder}: {exc.strerror or exc}")
    templates_n = sum(1 for p in files if p.suffix == ".j2")
    click.echo(f"Wrote {plural(templates_n, 'template')} from {builtin} to {folder}.")
    click.echo(
        f'Next: set replies.templates = "{folder}" in the config (relative to it), edit the'
        " texts to change, delete the rest; then run 'inbox-worker doctor'."
    )
