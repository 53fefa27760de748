"""[workshop.en] overrides the [workshop] texts for English replies (issue 14)."""

from pathlib import Path

import pytest

from inbox_worker import config as config_mod
from inbox_worker.desk.doctor import language_check
from inbox_worker.errors import ConfigError

EXAMPLE = Path(__file__).parents[1] / "config.example.toml"


def _load(tmp_path: Path, text: str) -> config_mod.Config:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return config_mod.load(path)


def test_example_has_english_texts_of_its_own():
    config = config_mod.load(EXAMPLE)
    nl, en = config.workshop.for_language("nl"), config.workshop.for_language("en")
    assert nl.price.startswith("€ 495 per deelnemer")
    assert en.price.startswith("€ 495 per participant")
    assert "dag" not in en.duration and en.title != nl.title
    assert config.workshop.untranslated("en") == ()
    assert language_check(config).detail.startswith("workshop texts of its own")


def test_missing_language_is_a_doctor_warning(tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8")
    start, end = text.index("[workshop.en]"), text.index("[[workshop.sessions]]")
    config = _load(tmp_path, text[:start] + text[end:])
    assert config.workshop.for_language("en") == config.workshop
    check = language_check(config)
    assert check.ok and check.detail.startswith("warning: no [workshop.en]")


def test_partial_language_takes_the_rest_from_workshop(tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8")
    start, end = text.index("[workshop.en]"), text.index("[[workshop.sessions]]")
    config = _load(tmp_path, text[:start] + '[workshop.en]\nprice = "EUR 495"\n\n' + text[end:])
    en = config.workshop.for_language("en")
    assert en.price == "EUR 495" and en.title == config.workshop.title
    assert "has no title, summary, duration, url" in language_check(config).detail


def test_unknown_key_in_language_table_is_refused(tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8").replace(
        "[workshop.en]\n", '[workshop.en]\nprijs = "x"\n'
    )
    with pytest.raises(ConfigError, match=r"\[workshop.en\] prijs"):
        _load(tmp_path, text)
