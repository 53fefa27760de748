"""Tests for inbox_worker.writing.render: headers, subject rules, header injection, escaping, errors.

Every reply is parsed back from its bytes, as a receiving server would, so the
assertions are about what goes over the wire and not about our objects.
"""

from __future__ import annotations

import email
from dataclasses import replace
from datetime import UTC, datetime
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path

import pytest

from inbox_worker.errors import InboxWorkerError, TemplateError
from inbox_worker.writing.headers import (
    MAX_REFERENCES,
    make_message_id,
    reply_subject,
    sanitize_header_text,
)
from inbox_worker.writing.render import Renderer, ReplyRequest, Sender, default_template_dir
from inbox_worker.writing.variables import AMSTERDAM, longdate, sample_variables, time_of_day

NOW = datetime(2026, 11, 3, 14, 5, tzinfo=AMSTERDAM)
SENDER = Sender(name="Gertjan Verstoep", email="workshops@example.org")

EXPECTED_HEADERS = {
    "from",
    "to",
    "subject",
    "date",
    "message-id",
    "in-reply-to",
    "references",
    "auto-submitted",
    "x-auto-response-suppress",
    "mime-version",
    "content-type",
    "content-language",
}


def request(**changes: object) -> ReplyRequest:
    base = ReplyRequest(
        kind="inquiry",
        language="nl",
        to_addr="m.jansen@gemeente-voorbeeld.nl",
        to_name="Marieke Jansen",
        subject="Vraag over de workshop co-creëren",
        in_reply_to="<20261102.1234@gemeente-voorbeeld.nl>",
        references=("<root.1@gemeente-voorbeeld.nl>",),
        message_id=make_message_id(SENDER.email, "0f3c9a"),
        variables=sample_variables(NOW),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def wire(msg: EmailMessage) -> EmailMessage:
    """The reply as a receiving server parses it."""
    parsed = email.message_from_bytes(msg.as_bytes(), policy=default_policy)
    assert isinstance(parsed, EmailMessage)
    return parsed


def write(directory: Path, name: str, text: str) -> None:
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def renderer() -> Renderer:
    return Renderer([default_template_dir()])


def test_headers_of_a_reply(renderer: Renderer) -> None:
    msg = wire(renderer.render(request(), sender=SENDER, date=NOW))

    assert msg["From"] == "Gertjan Verstoep <workshops@example.org>"
    assert msg["To"] == "Marieke Jansen <m.jansen@gemeente-voorbeeld.nl>"
    assert len(msg["To"].addresses) == 1
    assert msg["Subject"] == "Re: Vraag over de workshop co-creëren"
    assert msg["Date"] == "Tue, 03 Nov 2026 14:05:00 +0100"
    assert msg["Message-ID"] == "<inbox-worker.0f3c9a@example.org>"
    assert msg["In-Reply-To"] == "<20261102.1234@gemeente-voorbeeld.nl>"
    # Python may fold References right after the colon (valid CFWS), so compare ids.
    assert msg["References"].split() == [
        "<root.1@gemeente-voorbeeld.nl>",
        "<20261102.1234@gemeente-voorbeeld.nl>",
    ]
    assert msg["Auto-Submitted"] == "auto-replied"
    assert msg["X-Auto-Response-Suppress"] == "All"
    assert msg["MIME-Version"] == "1.0"
    assert msg["Content-Language"] == "nl"
    assert "Precedence" not in msg


def test_text_and_html_alternatives_in_utf8(renderer: Renderer) -> None:
    msg = wire(renderer.render(request(), sender=SENDER, date=NOW))

    assert msg.get_content_type() == "multipart/alternative"
    parts = list(msg.iter_parts())
    assert [p.get_content_type() for p in parts] == ["text/plain", "text/html"]
    assert all(p.get_content_charset() == "utf-8" for p in parts)
    # MIME-Version belongs on the top level only.
    assert all("MIME-Version" not in p for p in parts)
    text = parts[0].get_content()
    assert text.startswith("Beste Fatima el Amrani,\n")
    assert "Co-creëren met de samenleving" in text


def test_plain_text_only_when_there_is_no_html_template(tmp_path: Path) -> None:
    write(tmp_path, "en/inquiry.txt.j2", "Hello {{ name }}\n")
    msg = wire(Renderer([tmp_path]).render(request(language="en"), sender=SENDER, date=NOW))

    assert msg.get_content_type() == "text/plain"
    assert msg.get_content_charset() == "utf-8"
    assert msg.get_content() == "Hello Fatima el Amrani\n"
    assert msg["Content-Language"] == "en"


@pytest.mark.parametrize(
    ("original", "expected"),
    [
        ("Workshop", "Re: Workshop"),
        ("Re: Workshop", "Re: Workshop"),
        ("RE: Workshop", "Re: Workshop"),
        ("Antw: Workshop", "Re: Workshop"),
        ("AW: Re: antw: Workshop", "Re: Workshop"),
        ("Re[2]: Workshop", "Re: Workshop"),
        ("Reservering workshop", "Re: Reservering workshop"),
        ("Aanmelding: workshop", "Re: Aanmelding: workshop"),
        ("", "Re: je bericht"),
    ],
)
def test_reply_prefix_is_not_stacked(original: str, expected: str) -> None:
    assert reply_subject(original, "nl") == expected


def test_reply_subject_on_the_wire_is_not_stacked(renderer: Renderer) -> None:
    msg = wire(renderer.render(request(subject="RE: Re: Data"), sender=SENDER, date=NOW))
    assert msg["Subject"] == "Re: Data"


def test_template_may_set_the_subject(tmp_path: Path) -> None:
    write(tmp_path, "nl/inquiry.txt.j2", "Subject: Data voor {{ workshop.title }}\n\nHallo\n")
    msg = wire(Renderer([tmp_path]).render(request(), sender=SENDER, date=NOW))

    assert msg["Subject"] == "Data voor Co-creëren met de samenleving"
    assert msg.get_content() == "Hallo\n"


@pytest.mark.parametrize(
    "evil",
    [
        "Jan\r\nBcc: victim@example.net",
        "Jan\nBcc: victim@example.net",
        "Jan\rBcc: victim@example.net",
        "Jan\x85Bcc: victim@example.net",
        "Jan\u2028Bcc: victim@example.net",
        "Jan\x0bBcc: victim@example.net",
    ],
)
def test_line_breaks_in_name_and_subject_cannot_add_headers(renderer: Renderer, evil: str) -> None:
    req = request(to_name=evil, subject=evil.replace("Jan", "Workshop"))
    msg = wire(renderer.render(req, sender=SENDER, date=NOW))

    assert {k.lower() for k in msg.keys()} == EXPECTED_HEADERS  # noqa: SIM118
    assert "Bcc" not in msg
    assert len(msg["To"].addresses) == 1
    assert msg["To"].addresses[0].addr_spec == "m.jansen@gemeente-voorbeeld.nl"
    assert msg["To"].addresses[0].display_name == "Jan Bcc: victim@example.net"
    assert msg["Subject"] == "Re: Workshop Bcc: victim@example.net"


def test_name_looking_like_an_address_list_stays_one_recipient(renderer: Renderer) -> None:
    req = request(to_name='"Boss" <boss@example.net>, other@example.net')
    msg = wire(renderer.render(req, sender=SENDER, date=NOW))

    assert [a.addr_spec for a in msg["To"].addresses] == ["m.jansen@gemeente-voorbeeld.nl"]


def test_unusable_recipient_address_is_refused(renderer: Renderer) -> None:
    with pytest.raises(InboxWorkerError, match="cannot reply to"):
        renderer.render(
            request(to_addr="a@example.nl\r\nBcc: b@example.net"), sender=SENDER, date=NOW
        )
    with pytest.raises(InboxWorkerError, match="cannot reply to"):
        renderer.render(request(to_addr="not an address"), sender=SENDER, date=NOW)


def test_non_ascii_name_is_encoded_and_round_trips(renderer: Renderer) -> None:
    req = request(to_name="Zoë Ünal-Ébert", subject="Vraag over ‘co-creëren’")
    raw = renderer.render(req, sender=SENDER, date=NOW).as_bytes()

    assert raw.isascii()
    msg = email.message_from_bytes(raw, policy=default_policy)
    assert msg["To"].addresses[0].display_name == "Zoë Ünal-Ébert"
    assert msg["Subject"] == "Re: Vraag over ‘co-creëren’"


def test_template_syntax_in_user_input_is_printed_literally(renderer: Renderer) -> None:
    variables = {**sample_variables(NOW), "name": "{{ organiser.email }}{% raw %}"}
    req = request(to_name="{{ 7*7 }}", subject="{{ 7*7 }}", variables=variables)
    msg = wire(renderer.render(req, sender=SENDER, date=NOW))

    text = msg.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert text.startswith("Beste {{ organiser.email }}{% raw %},\n")
    assert msg["Subject"] == "Re: {{ 7*7 }}"
    assert "49" not in msg["Subject"]


def test_html_part_escapes_what_the_sender_typed(renderer: Renderer) -> None:
    variables = {
        **sample_variables(NOW),
        "name": "<script>alert('x')</script>",
        "organisation": "Jansen & Zn <b>",
    }
    msg = wire(renderer.render(request(variables=variables), sender=SENDER, date=NOW))

    html = msg.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert "Jansen &amp; Zn &lt;b&gt;" in html
    # The text part is not HTML: escaping it would garble names with "&".
    text = msg.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "Jansen & Zn <b>" in text


def test_undefined_variable_is_a_one_line_template_error(tmp_path: Path) -> None:
    write(tmp_path, "nl/inquiry.txt.j2", "Hallo {{ name }}\n{% for s in sesions %}{% endfor %}\n")

    with pytest.raises(TemplateError) as caught:
        Renderer([tmp_path]).render(request(), sender=SENDER, date=NOW)
    assert str(caught.value) == "template nl/inquiry.txt.j2: 'sesions' is undefined"


def test_missing_variable_in_the_request_is_a_template_error(renderer: Renderer) -> None:
    variables = {k: v for k, v in sample_variables(NOW).items() if k != "sessions"}

    with pytest.raises(TemplateError) as caught:
        renderer.render(request(variables=variables), sender=SENDER, date=NOW)
    assert str(caught.value) == "template nl/inquiry.txt.j2: 'sessions' is undefined"


def test_syntax_error_names_template_and_line(tmp_path: Path) -> None:
    write(tmp_path, "nl/inquiry.txt.j2", "Hallo\n{% if name %}\nBeste {{ name }}\n")

    with pytest.raises(TemplateError) as caught:
        Renderer([tmp_path]).render(request(), sender=SENDER, date=NOW)
    message = str(caught.value)
    assert message.startswith("template nl/inquiry.txt.j2:3: ")
    assert "\n" not in message


def test_missing_template_is_a_template_error(renderer: Renderer) -> None:
    with pytest.raises(TemplateError, match=r"^template nl/no-such-kind.txt.j2 not found$"):
        renderer.render(request(kind="no-such-kind"), sender=SENDER, date=NOW)


def test_kind_cannot_escape_the_template_directory(renderer: Renderer) -> None:
    with pytest.raises(TemplateError, match="not a template name"):
        renderer.render(request(kind="../../etc/passwd"), sender=SENDER, date=NOW)


def test_organiser_directory_wins_over_the_default(tmp_path: Path) -> None:
    write(tmp_path, "nl/inquiry.txt.j2", "Eigen tekst voor {{ name }}\n")
    renderer = Renderer([tmp_path, default_template_dir()])

    nl = wire(renderer.render(request(), sender=SENDER, date=NOW))
    en = wire(renderer.render(request(language="en"), sender=SENDER, date=NOW))

    assert nl.get_body(("plain",)).get_content() == "Eigen tekst voor Fatima el Amrani\n"  # type: ignore[union-attr]
    # The built-in HTML must not travel with the organiser's own text: clients
    # would show the old HTML and hide the new words.
    assert nl.get_content_type() == "text/plain"
    # Only the overridden file changes; the English default still applies.
    assert en.get_body(("plain",)).get_content().startswith("Dear Fatima el Amrani,")  # type: ignore[union-attr]


def test_kinds_lists_templates_of_all_directories(tmp_path: Path) -> None:
    write(tmp_path, "nl/extra.txt.j2", "x\n")
    write(tmp_path, "nl/extra.html.j2", "<p>x</p>\n")
    renderer = Renderer([tmp_path, default_template_dir()])

    built_in = set(Renderer([default_template_dir()]).kinds("nl"))
    assert renderer.kinds("nl") == sorted(built_in | {"extra"})
    assert set(renderer.kinds("en")) == built_in
    assert renderer.kinds("de") == []


def test_check_is_quiet_for_the_shipped_templates(renderer: Renderer) -> None:
    assert renderer.check() == []


def test_check_reports_each_broken_template(tmp_path: Path) -> None:
    write(tmp_path, "nl/inquiry.txt.j2", "{{ workshop.titel }}\n")
    write(tmp_path, "nl/broken.txt.j2", "{% for %}\n")
    write(tmp_path, "en/inquiry.txt.j2", "{% if sessions %}ok{% else %}{{ sesions }}{% endif %}\n")
    write(tmp_path, "en/orphan.html.j2", "<p>x</p>\n")

    problems = Renderer([tmp_path]).check()

    assert len(problems) == 4
    assert problems[0].startswith("template nl/broken.txt.j2:1: ")
    assert problems[1].startswith("template nl/inquiry.txt.j2: ")
    assert "titel" in problems[1]
    assert problems[2] == (
        f"template en/orphan.html.j2 in {tmp_path}: not used, no .txt.j2 template beside it"
    )
    assert problems[3] == "template en/inquiry.txt.j2: 'sesions' is undefined (no sessions)"


def test_check_reports_a_language_without_templates(tmp_path: Path) -> None:
    write(tmp_path, "nl/inquiry.txt.j2", "ok\n")
    assert Renderer([tmp_path]).check() == ["templates en/: no .txt.j2 templates found"]


def test_references_keep_only_well_formed_ids_and_are_capped(renderer: Renderer) -> None:
    many = tuple(f"<msg{i}@example.nl>" for i in range(30))
    junk = ("not-an-id", "<no-at-sign>", "<a b@example.nl>", "<msg3@example.nl>")
    req = request(references=many + junk, in_reply_to="<last@example.nl>")
    msg = wire(renderer.render(req, sender=SENDER, date=NOW))

    ids = msg["References"].split()
    assert len(ids) == MAX_REFERENCES
    assert ids[0] == "<msg0@example.nl>"  # the thread root survives the cap
    assert ids[-1] == "<last@example.nl>"
    assert ids[-2] == "<msg29@example.nl>"
    assert len(set(ids)) == len(ids)


def test_without_in_reply_to_there_is_no_threading_header(renderer: Renderer) -> None:
    msg = wire(renderer.render(request(in_reply_to=None, references=()), sender=SENDER, date=NOW))

    assert "In-Reply-To" not in msg
    assert "References" not in msg


def test_malformed_in_reply_to_is_left_out(renderer: Renderer) -> None:
    req = request(in_reply_to="<x@y>\r\nBcc: z@example.net", references=())
    msg = wire(renderer.render(req, sender=SENDER, date=NOW))

    assert msg["In-Reply-To"] == "<x@y>"
    assert "Bcc" not in msg


def test_message_id_uses_the_sender_domain() -> None:
    assert make_message_id("workshops@Example.ORG", "ab12") == "<inbox-worker.ab12@example.org>"
    assert make_message_id("Gertjan <gv@adviesbureau.example.nl>", "9f") == (
        "<inbox-worker.9f@adviesbureau.example.nl>"
    )


@pytest.mark.parametrize(
    ("sender", "unique"), [("no-domain", "ab"), ("a@b.nl", "a b"), ("a@b.nl", "")]
)
def test_message_id_refuses_what_would_be_malformed(sender: str, unique: str) -> None:
    with pytest.raises(ValueError):
        make_message_id(sender, unique)


def test_render_refuses_a_malformed_message_id(renderer: Renderer) -> None:
    with pytest.raises(ValueError, match="not a Message-ID"):
        renderer.render(request(message_id="inbox-worker.1"), sender=SENDER, date=NOW)


@pytest.mark.parametrize(
    ("moment", "lang", "expected"),
    [
        (datetime(2027, 1, 12, 9, 30, tzinfo=AMSTERDAM), "nl", "dinsdag 12 januari 2027"),
        (datetime(2027, 1, 12, 9, 30, tzinfo=AMSTERDAM), "en", "Tuesday 12 January 2027"),
        (datetime(2026, 10, 4, 12, 0, tzinfo=AMSTERDAM), "nl", "zondag 4 oktober 2026"),
        (datetime(2026, 3, 1, 12, 0, tzinfo=AMSTERDAM), "en", "Sunday 1 March 2026"),
        # 23:30 UTC on a Tuesday is already Wednesday in Amsterdam.
        (datetime(2027, 1, 12, 23, 30, tzinfo=UTC), "nl", "woensdag 13 januari 2027"),
    ],
)
def test_longdate(moment: datetime, lang: str, expected: str) -> None:
    assert longdate(moment, lang) == expected


def test_longdate_refuses_unknown_language() -> None:
    with pytest.raises(ValueError, match="'de'"):
        longdate(NOW, "de")


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime(2027, 1, 12, 8, 30, tzinfo=UTC), "09:30"),  # winter time, UTC+1
        (datetime(2027, 6, 15, 7, 30, tzinfo=UTC), "09:30"),  # summer time, UTC+2
        (datetime(2027, 6, 15, 9, 5), "09:05"),  # naive: already local
    ],
)
def test_time_filter_is_amsterdam_time(moment: datetime, expected: str) -> None:
    assert time_of_day(moment) == expected


def test_filters_are_available_to_templates(tmp_path: Path) -> None:
    write(
        tmp_path,
        "en/inquiry.txt.j2",
        "{% for s in sessions %}{{ s.starts|longdate(language) }} {{ s.starts|time }}\n"
        "{% endfor %}",
    )
    msg = wire(Renderer([tmp_path]).render(request(language="en"), sender=SENDER, date=NOW))

    first = msg.get_content().splitlines()[0]
    assert first == "Tuesday 8 December 2026 09:30"


def test_sanitize_header_text_keeps_ordinary_text() -> None:
    assert sanitize_header_text("  Aanmelding \t workshop  ") == "Aanmelding workshop"
    assert sanitize_header_text("x" * 500, 10) == "x" * 10


def test_html_from_the_same_directory_as_the_text_is_used(tmp_path: Path) -> None:
    write(tmp_path, "nl/inquiry.txt.j2", "Tekst\n")
    write(tmp_path, "nl/inquiry.html.j2", "<p>{{ name }}</p>\n")
    msg = wire(
        Renderer([tmp_path, default_template_dir()]).render(request(), sender=SENDER, date=NOW)
    )

    assert msg.get_body(("html",)).get_content() == "<p>Fatima el Amrani</p>\n"  # type: ignore[union-attr]


def test_long_message_ids_are_never_encoded_or_broken() -> None:
    """Outlook's msg-ids run past 78 columns; they must survive serialisation verbatim."""
    long_id = (
        "<CAF7x2Qp9kLm3Tz8vB4nR1yD6wE0sH5jU2cA9gK7fN3xYz@mail.gemeente-voorbeeld-met-lange-naam.nl>"
    )
    msg = Renderer([default_template_dir()]).render(
        request(in_reply_to=long_id, references=(long_id,)), sender=SENDER, date=NOW
    )
    for linesep in ("\n", "\r\n"):
        data = msg.as_bytes(policy=msg.policy.clone(linesep=linesep))
        assert f"In-Reply-To: {long_id}{linesep}".encode() in data
        assert f"References: {long_id}{linesep}".encode() in data
        parsed = email.message_from_bytes(data, policy=default_policy)
        assert parsed["In-Reply-To"] == long_id


def test_mail_sent_by_hand_is_not_marked_automatic() -> None:
    msg = Renderer([default_template_dir()]).render(
        request(automatic=False), sender=SENDER, date=NOW
    )
    assert "Auto-Submitted" not in msg and "X-Auto-Response-Suppress" not in msg
    assert msg["In-Reply-To"] == "<20261102.1234@gemeente-voorbeeld.nl>"
