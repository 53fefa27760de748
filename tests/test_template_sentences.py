"""Every template, in nl and en, reads as the organiser writes (issue 14).

Each kind is rendered for an in-person and an online session, with and
without a name, an organisation, sessions on offer and a previous session,
and the sentences are read: no empty double lines, no "in online" or "at
online", no placeholder or template syntax left over, no sentence broken
around a value that is not there.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime
from itertools import product

import pytest

from inbox_worker.writing.headers import make_message_id
from inbox_worker.writing.render import Renderer, ReplyRequest, Sender, default_template_dir
from inbox_worker.writing.variables import AMSTERDAM, place, sample_variables

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=AMSTERDAM)
RENDERER = Renderer([default_template_dir()])
LANGUAGES = ("nl", "en")
CASES = [(lang, kind) for lang in LANGUAGES for kind in RENDERER.kinds(lang)]


def _variants(where: str):
    base = sample_variables(NOW)
    sessions = [replace(s, location=where) if s.number == 1 else s for s in base["sessions"]]
    base = {**base, "sessions": sessions, "session": sessions[0], "previous": sessions[1]}
    online_previous = {**base, "previous": replace(sessions[1], location=where)}
    for name, organisation, offered, previous in product(
        ("Fatima", ""), ("Gemeente Voorbeeld", ""), (True, False), (True, False)
    ):
        yield {
            **(online_previous if previous else base),
            "name": name,
            "organisation": organisation,
            "sessions": sessions if offered else [],
            "previous": (online_previous if previous else base)["previous"] if previous else None,
        }


def _render(language: str, kind: str, variables, *, automatic: bool = True) -> str:
    sender = Sender(name="Gertjan Verstoep", email="workshops@example.org")
    req = ReplyRequest(
        automatic=automatic,
        kind=kind,
        language=language,
        to_addr="fatima@example.nl",
        to_name="Fatima",
        subject="Workshop",
        in_reply_to=None,
        references=(),
        message_id=make_message_id(sender.email, "test"),
        variables={**variables, "language": language},
    )
    msg = RENDERER.render(req, sender=sender, date=NOW)
    text = msg.get_body(("plain",)).get_content()
    return f"Subject: {msg['Subject']}\n{text}"


# Kinds the organiser sends by hand (`sessions cancel`), not of its own accord.
SENT_BY_HAND = frozenset({"session_cancelled"})


@pytest.mark.parametrize(("language", "kind"), CASES)
@pytest.mark.parametrize("where", ["Utrecht", "online"])
def test_every_template_reads_well(language, kind, where):
    for variables in _variants(where):
        text = _render(language, kind, variables)
        assert "\n\n\n" not in text, f"{language}/{kind}: an empty double line\n{text}"
        assert not re.search(r"\b(?:in|at|te) online\b", text, re.I), f"{language}/{kind}\n{text}"
        assert not re.search(r"\{\{|\}\}|\{%|%\}|\{#|#\}", text), f"{language}/{kind}\n{text}"
        assert "None" not in text and "Undefined" not in text, f"{language}/{kind}\n{text}"
        for line in text.splitlines():
            body = line.strip()
            if kind == "digest":  # columns, aligned with spaces
                body = re.sub(r"^(\S+:)\s+", r"\1 ", body)
            assert not re.search(r"\s[,.;:]|\(\s*\)|\s{2,}", body), (
                f"{language}/{kind}: a sentence broken around a missing value: {line!r}"
            )
            assert not re.search(r"\b(?:namens|behalf of|Beste|Dear)\s*,", body), (
                f"{language}/{kind}: {line!r}"
            )
        if kind in SENT_BY_HAND:
            continue  # the organiser's own mail: no line saying a machine sent it
        assert text.rstrip("\n").endswith(
            ("mij terecht.", "in person.", "automatisch verstuurd.", "sent automatically.")
        ), f"{language}/{kind}\n{text}"


@pytest.mark.parametrize(("language", "kind"), CASES)
def test_mail_sent_by_hand_never_says_a_machine_sent_it(language, kind):
    """`bookings add`, `replies send`: the organiser's own mail, in the same templates."""
    if kind == "digest":
        return  # the digest is always the machine's, to the organiser
    by_hand = _render(language, kind, sample_variables(NOW), automatic=False)
    for footer in ("automatisch verstuurd", "sent automatically"):
        assert footer not in by_hand, f"{language}/{kind}\n{by_hand}"
    assert "\n\n\n" not in by_hand and not by_hand.endswith("\n\n"), f"{language}/{kind}"


def test_cancellation_offers_the_sessions_with_room():
    variables = sample_variables(NOW)
    nl = _render("nl", "cancellation", variables)
    en = _render("en", "cancellation", variables)
    assert "Optie 1:" in nl and "Optie 3:" in nl
    assert "Option 1:" in en and "Option 3:" in en


def test_place():
    assert place("Utrecht") == "in Utrecht"
    assert place("online") == "online"
    assert place("Online (Zoom)") == "Online (Zoom)"
    assert place("Microsoft Teams") == "Microsoft Teams"
    assert place("Onlinestraat 3, Zwolle") == "in Onlinestraat 3, Zwolle"
