"""Web-form notifications: the visitor is the lead (issue 12, item 2).

Synthetic notifications written for these tests, in the layouts form mailers
use: "Label: value" lines (PHPMailer, WP Mail SMTP), Contact Form 7's
"From: Name <address>", a label on its own line with the value under it
(WPForms), and an HTML table (form services).
"""

from __future__ import annotations

import pytest

from inbox_worker.reading.classify import Category, classify
from inbox_worker.reading.htmltext import html_to_fields
from inbox_worker.reading.message import parse
from inbox_worker.reading.webform import read_form
from tests.mailfactory import OFFERED

SITE = "Antwoord <noreply@organiser.example>"


def notification(body: str, sender: str = SITE, headers: str = "",
                 content_type: str = "text/plain") -> bytes:  # fmt: skip
    return (
        f"From: {sender}\nTo: Organiser <workshops@organiser.example>\n"
        f"Subject: Nieuw bericht via het contactformulier\nMessage-ID: <f1@organiser.example>\n"
        f"{headers}Content-Type: {content_type}; charset=utf-8\n\n{body}\n"
    ).encode()


FORMS = [
    # our own site (PHPMailer), Dutch, one line per field
    (
        "Er is een nieuw bericht verstuurd via het contactformulier.\n\n"
        "Naam: Marieke Jansen\nE-mail: m.jansen@gemeente-a.example\nOrganisatie: Gemeente A\n"
        "Telefoon: 030 123 45 67\n\nBericht:\nGoedemorgen, wanneer zijn de volgende data "
        "van de workshop?\nGroet, Marieke\n\n--\nVerzonden via https://organiser.example/contact",
        "X-Mailer: PHPMailer 6.9.1\n",
        "m.jansen@gemeente-a.example",
        "Marieke Jansen",
        "nl",
    ),
    # WP Mail SMTP, English
    (
        "Name: Tom O'Brien\nEmail: tom.obrien@council.example\n\nMessage: Is there still room "
        "in the workshop in March?\n\n---\nSent from https://organiser.example/en/contact",
        "X-Mailer: WPMailSMTP/Mailer/smtp 4.3.0\n",
        "tom.obrien@council.example",
        "Tom O'Brien",
        "en",
    ),
    # Contact Form 7: the visitor in a From line, with Reply-To
    (
        "Van: Rianne Bos <r.bos@waterschap.example>\nOnderwerp: Workshop\n\nBericht:\n"
        "Kunnen jullie mij informatie sturen over de workshop?\n\n-- \n"
        "Deze e-mail is verzonden via een contactformulier op Organiser",
        "Reply-To: Rianne Bos <r.bos@waterschap.example>\n",
        "r.bos@waterschap.example",
        "Rianne Bos",
        "nl",
    ),
    # a label on its own line, the value under it; first and last name apart
    (
        "First Name\nGrace\n\nLast Name\nMensah\n\nEmail\ngrace.mensah@province.example\n\n"
        "Comment or Message\nCould you send me the dates of the next workshop?\n",
        "",
        "grace.mensah@province.example",
        "Grace Mensah",
        "en",
    ),
]


@pytest.mark.parametrize(("body", "headers", "addr", "name", "language"), FORMS)
def test_form_notification_names_the_visitor(
    body: str, headers: str, addr: str, name: str, language: str
) -> None:
    msg = parse(notification(body, headers=headers))
    assert (msg.form_from_addr, msg.form_from_name) == (addr, name)
    assert msg.from_addr == "noreply@organiser.example"  # who sent it stays visible
    assert "?" in msg.new_text and "contactformulier" not in msg.new_text  # only the visitor
    result = classify(msg, OFFERED)
    assert (result.category, result.language) == (Category.INQUIRY, language), result.reasons


def test_html_table_form_from_a_form_service() -> None:
    html = (
        "<p>Er is een nieuwe inzending voor het formulier <b>Interesse</b>.</p><table>"
        "<tr><td style='font-weight:bold'>Naam</td><td>Linda de Wit</td></tr>"
        "<tr><td>E-mailadres</td><td>linda@uitvoering.example</td></tr>"
        "<tr><td>Organisatie</td><td>Uitvoeringsorganisatie</td></tr>"
        "<tr><td>Vraag of opmerking</td><td>Zijn er nog plekken in de workshop in februari?"
        "</td></tr></table><p>U ontvangt deze e-mail omdat meldingen voor dit formulier aan "
        "staan.</p>"
    )
    msg = parse(notification(html, "Formulieren <noreply@forms.example>",
                             content_type="text/html"))  # fmt: skip
    assert (msg.form_from_addr, msg.form_from_name) == ("linda@uitvoering.example", "Linda de Wit")
    assert msg.new_text == "Zijn er nog plekken in de workshop in februari?"
    assert msg.signature == "Linda de Wit\nUitvoeringsorganisatie"
    assert classify(msg, OFFERED).category is Category.INQUIRY  # not bulk


def test_html_form_with_the_label_in_its_own_row() -> None:
    # a label row, then a row with an empty spacer cell and the value
    rows = "".join(
        f"<tr><td colspan='2'><strong>{label}</strong></td></tr>"
        f"<tr><td width='20'>&nbsp;</td><td>{value}</td></tr>"
        for label, value in (
            ("Naam", "Joris Wolters"),
            ("E-mail adres", "j.wolters@provincie.example"),
            ("Bericht/vraag", "Kunt u mij de data van de workshop sturen?"),
        )
    )
    msg = parse(notification(f"<table>{rows}</table>", "Website <wordpress@organiser.example>",
                             content_type="text/html"))  # fmt: skip
    assert (msg.form_from_addr, msg.form_from_name) == (
        "j.wolters@provincie.example",
        "Joris Wolters",
    )
    assert classify(msg, OFFERED).category is Category.INQUIRY


def test_html_two_cell_rows_read_as_fields() -> None:
    html = "<table><tr><th>Naam</th><td>Jan</td></tr><tr><td>een</td><td>twee</td><td>drie</td>"
    lines = html_to_fields(html + "</tr></table>").split("\n")
    assert [line for line in lines if line] == ["Naam: Jan", "een twee drie"]


def test_a_newsletter_from_noreply_stays_bulk() -> None:
    body = (
        "Nieuwsbrief december\n\nIn deze editie: drie nieuwe trainingen over participatie.\n"
        "Lees verder op onze website.\n\nU ontvangt deze nieuwsbrief omdat u zich heeft "
        "aangemeld. Afmelden voor deze nieuwsbrief kan via de link onderaan."
    )
    msg = parse(notification(body, "Nieuws <noreply@news.example>"))
    assert msg.form_from_addr is None
    assert classify(msg, OFFERED).category is Category.BULK


def test_a_signup_notice_without_a_message_is_no_form() -> None:
    body = "Nieuwe aanmelding voor de nieuwsbrief.\n\nNaam: Piet Klaassen\nE-mail: piet@x.example\n"
    msg = parse(notification(body))
    assert msg.form_from_addr is None
    assert classify(msg, OFFERED).category is Category.BULK


def test_a_person_writing_labelled_lines_is_no_form() -> None:
    # fields in a person's own mail: the writer is From, not a "visitor"
    body = (
        "Naam: Anna Smit\nE-mail: anna.privé@x.example\nBericht: Graag informatie over de workshop."
    )
    msg = parse(notification(body, "Anna Smit <anna@gemeente.example>"))
    assert msg.form_from_addr is None


def test_a_form_echoing_our_own_address_has_no_visitor() -> None:
    body = "Naam: Organiser\nE-mail: workshops@organiser.example\nBericht: test van het formulier"
    assert parse(notification(body)).form_from_addr is None


def test_spam_sent_through_a_form_is_spam() -> None:
    body = (
        "Naam: Alex\nE-mail: alex.seo@mailbox.example\nBericht:\nHello, I came across your "
        "website and it is not on the first page of Google. Our SEO team can help."
    )
    msg = parse(notification(body))
    assert msg.form_from_addr == "alex.seo@mailbox.example"
    assert classify(msg, OFFERED).category is Category.SPAM


def test_read_form_needs_a_system_sender() -> None:
    text = "Name: A B\nEmail: a@b.example\nMessage: hello there"
    assert read_form("someone@b.example", "", text) is None
    assert read_form("wordpress@site.example", "", text) is not None
    assert read_form("info@site.example", "PHPMailer 6.9", text) is not None


def test_two_addresses_in_the_email_field_are_unclear() -> None:
    text = "Name: A B\nEmail: a@b.example, c@d.example\nMessage: hello there"
    assert read_form("noreply@site.example", "", text) is None
