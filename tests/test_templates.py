"""Every shipped template renders with the documented variables, in both languages.

These run over whatever is in templates/, so a template added later is covered
without a new test; the inquiry-specific checks pin what the organiser promised
people: numbered options with seats, and a word when there are no dates.
"""

from __future__ import annotations

import email
import re
from datetime import datetime
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path

import pytest

from inbox_worker.writing.headers import make_message_id
from inbox_worker.writing.render import Renderer, ReplyRequest, Sender, default_template_dir
from inbox_worker.writing.variables import AMSTERDAM, sample_variables

NOW = datetime(2026, 11, 3, 14, 5, tzinfo=AMSTERDAM)
SENDER = Sender(name="Gertjan Verstoep", email="workshops@example.org")
LANGUAGES = ("nl", "en")
TEMPLATES = default_template_dir()


def shipped_kinds() -> list[tuple[str, str]]:
    renderer = Renderer([TEMPLATES])
    return [(lang, kind) for lang in LANGUAGES for kind in renderer.kinds(lang)]


def render_text(language: str, kind: str, **overrides: object) -> tuple[str, str | None]:
    """Plain text and (if any) HTML of one shipped template with sample variables."""
    variables = {**sample_variables(NOW), **overrides}
    req = ReplyRequest(
        kind=kind,
        language=language,
        to_addr="m.jansen@gemeente-voorbeeld.nl",
        to_name="Marieke Jansen",
        subject="Workshop",
        in_reply_to=None,
        references=(),
        message_id=make_message_id(SENDER.email, "t1"),
        variables=variables,
    )
    msg = Renderer([TEMPLATES]).render(req, sender=SENDER, date=NOW)
    text = msg.get_body(("plain",))
    html = msg.get_body(("html",))
    assert text is not None
    return text.get_content(), html.get_content() if html is not None else None


def test_default_template_dir_is_the_checkout_copy() -> None:
    assert Path(__file__).parents[1] / "templates" == TEMPLATES
    assert (TEMPLATES / "README.md").is_file()


def test_both_languages_offer_the_same_kinds() -> None:
    renderer = Renderer([TEMPLATES])
    assert "inquiry" in renderer.kinds("nl")
    assert renderer.kinds("nl") == renderer.kinds("en")


@pytest.mark.parametrize(("language", "kind"), shipped_kinds())
def test_every_template_renders_with_sample_variables(language: str, kind: str) -> None:
    text, html = render_text(language, kind)

    organiser = sample_variables(NOW)["organiser"]
    assert organiser.name in text
    assert organiser.email in text
    # A stray tag or an escaped brace means template syntax leaked into the mail.
    assert "{{" not in text and "{%" not in text
    assert "\n\n\n\n" not in text
    if html is not None:
        assert "{{" not in html and "{%" not in html
        assert organiser.name in html


@pytest.mark.parametrize(("language", "kind"), shipped_kinds())
def test_every_template_renders_without_sessions_and_without_name(language: str, kind: str) -> None:
    text, _ = render_text(language, kind, sessions=[], name="", organisation="")
    assert text.splitlines()[0] in ("Goedendag,", "Hello,")


@pytest.mark.parametrize(("language", "kind"), shipped_kinds())
def test_every_template_documents_its_variables(language: str, kind: str) -> None:
    """The comment at the top names every variable the template uses."""
    from jinja2 import meta

    source = (TEMPLATES / language / f"{kind}.txt.j2").read_text(encoding="utf-8")
    assert source.startswith("{#")
    head = source[: source.index("#}")]
    env = Renderer([TEMPLATES]).env
    used = meta.find_undeclared_variables(env.parse(source))
    assert used, "a template that uses no variable is suspicious"
    for variable in used:
        assert re.search(rf"\b{variable}\b", head), f"{variable} is not documented"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "nl",
            [
                "Optie 1: dinsdag 8 december 2026, 09:30-16:30, Utrecht (nog 5 plaatsen)",
                "Optie 2: dinsdag 22 december 2026, 09:30-16:30, Zwolle (nog 12 plaatsen)",
                "Optie 3: dinsdag 5 januari 2027, 09:30-16:30, Den Haag (nog 1 plaats)",
            ],
        ),
        (
            "en",
            [
                "Option 1: Tuesday 8 December 2026, 09:30-16:30, Utrecht (5 places left)",
                "Option 2: Tuesday 22 December 2026, 09:30-16:30, Zwolle (12 places left)",
                "Option 3: Tuesday 5 January 2027, 09:30-16:30, Den Haag (1 place left)",
            ],
        ),
    ],
)
def test_inquiry_lists_sessions_numbered(language: str, expected: list[str]) -> None:
    text, html = render_text(language, "inquiry")

    options = [line for line in text.splitlines() if re.match(r"Opti(e|on) \d+:", line)]
    assert options == expected
    assert html is not None
    for number in (1, 2, 3):
        assert f"{'Optie' if language == 'nl' else 'Option'} {number}:</strong>" in html


@pytest.mark.parametrize(
    ("language", "greeting", "how_to_book", "automatic"),
    [
        (
            "nl",
            "Beste Fatima el Amrani,",
            "het nummer van je optie en het aantal deelnemers",
            "Dit antwoord is automatisch verstuurd.",
        ),
        (
            "en",
            "Dear Fatima el Amrani,",
            "the number of your option and the number of participants",
            "This reply was sent automatically.",
        ),
    ],
)
def test_inquiry_says_what_how_and_that_it_is_automatic(
    language: str, greeting: str, how_to_book: str, automatic: str
) -> None:
    text, _ = render_text(language, "inquiry")
    workshop = sample_variables(NOW)["workshop"]

    assert text.startswith(greeting + "\n")
    for fact in (workshop.summary, workshop.price, workshop.duration, workshop.url):
        assert fact in text
    assert how_to_book in text
    assert text.rstrip().splitlines()[-1].startswith(automatic)


@pytest.mark.parametrize(
    ("language", "promise"),
    [
        ("nl", "Nieuwe data volgen binnenkort"),
        ("en", "New dates will follow soon"),
    ],
)
def test_inquiry_without_sessions_promises_new_dates(language: str, promise: str) -> None:
    text, html = render_text(language, "inquiry", sessions=[])

    assert promise in text
    assert not re.search(r"Opti(e|on) \d+:", text)
    assert html is not None and promise in html


# The demo mailbox ships beside the templates as package data; `inbox-worker demo`
# and other modules' tests read it, so its basic promises are pinned here.
DEMO_MAIL = Path(__file__).parents[1] / "inbox_worker" / "demo_mail"


def demo_messages() -> list[tuple[str, EmailMessage]]:
    result = []
    for path in sorted(DEMO_MAIL.glob("*.eml")):
        msg = email.message_from_bytes(path.read_bytes(), policy=default_policy)
        assert isinstance(msg, EmailMessage)
        result.append((path.name, msg))
    return result


def test_demo_mailbox_is_twelve_well_formed_messages_to_the_organiser() -> None:
    messages = demo_messages()

    assert [name[:3] for name, _ in messages] == [f"{i:02d}-" for i in range(1, 13)]
    assert len({msg["Message-ID"] for _, msg in messages}) == 12
    for name, msg in messages:
        assert not msg.defects, name
        assert all(not part.defects for part in msg.walk()), name
        assert "workshops@example.org" in msg["To"], name
        assert msg["Date"].datetime.year == 2026 and msg["Date"].datetime.month in (10, 11), name
        assert msg["MIME-Version"] == "1.0", name
        assert msg.get_body(("plain", "html")) is not None, name


def test_demo_mailbox_machine_mail_carries_its_evidence() -> None:
    by_name = dict(demo_messages())

    bounce = by_name["09-bounce-user-unknown.eml"]
    assert bounce["Return-Path"] == "<>"
    assert bounce.get_content_type() == "multipart/report"
    assert "message/delivery-status" in [p.get_content_type() for p in bounce.walk()]
    assert by_name["08-out-of-office-auto-submitted.eml"]["Auto-Submitted"].startswith(
        "auto-replied"
    )
    assert "List-Unsubscribe" in by_name["10-newsletter.eml"]
    assert "List-Id" in by_name["10-newsletter.eml"]
    outlook = by_name["11-outlook-afwezig-no-headers.eml"]
    assert "Auto-Submitted" not in outlook and "X-Auto-Response-Suppress" not in outlook
