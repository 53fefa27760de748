"""Requests people write in their own words (issue 12, items 2 and 6).

Synthetic messages written for these tests, Dutch and English: erasure and
objection under the AVG/GDPR are an unsubscribe, an access request is not
(a person answers it); first messages that ask about the workshop, its dates
or joining are inquiries however they are worded.
"""

from __future__ import annotations

import pytest

from inbox_worker.classify import Category, classify
from inbox_worker.message import parse
from tests.mailfactory import OFFERED


def mail(body: str, subject: str = "Workshop", headers: str = "") -> bytes:
    return (
        "From: Sam de Boer <s.deboer@gemeente.example>\nTo: workshops@organiser.example\n"
        f"Subject: {subject}\nMessage-ID: <r1@gemeente.example>\n{headers}"
        f"Content-Type: text/plain; charset=utf-8\n\n{body}\n"
    ).encode()


def category(body: str, subject: str = "Workshop", headers: str = "") -> Category:
    return classify(parse(mail(body, subject, headers)), OFFERED).category


UNSUBSCRIBES = [
    "I am writing to request the erasure of all personal data you hold about me. Please "
    "confirm within one month.",
    "Under the GDPR I ask you to delete my personal data and I do not wish to receive any "
    "further communications from you.",
    "I object to the processing of my personal data for direct marketing.",
    "I hereby withdraw my consent for your mailings.",
    "Op grond van de AVG verzoek ik u al mijn persoonsgegevens te verwijderen.",
    "Ik maak bezwaar tegen de verwerking van mijn gegevens voor uw mailings.",
    "Ik trek hierbij mijn toestemming in. Ik wil geen mails meer over uw trainingen.",
    "Ik ga met pensioen. Wil je mij uit je bestand halen?",
    "Ik wil voortaan geen berichten meer van jullie ontvangen.",
]


@pytest.mark.parametrize("body", UNSUBSCRIBES)
def test_erasure_and_objection_are_unsubscribes(body: str) -> None:
    assert category(body, "Mijn gegevens") is Category.UNSUBSCRIBE


ACCESS_REQUESTS = [
    "Under article 15 GDPR I would like to know what personal data you hold about me.",
    "This is a subject access request. Please send me a copy of my personal data and then "
    "delete it.",
    "Hierbij dien ik een inzageverzoek in op grond van de AVG.",
    "Welke persoonsgegevens bewaart u van mij? Graag een overzicht, daarna mag alles weg.",
]


@pytest.mark.parametrize("body", ACCESS_REQUESTS)
def test_an_access_request_is_left_to_a_person(body: str) -> None:
    # not an unsubscribe (the data must be shown first), not an inquiry (no offer)
    assert category(body, "AVG") is Category.OTHER


NOT_UNSUBSCRIBES = [
    # an answer about data that is no request to erase it
    "Ik heb nog geen nadere informatie ontvangen over de locatie. Kunt u die sturen?",
    "Please update my details: my new e-mail address is sam@gemeente.example.",
]


@pytest.mark.parametrize("body", NOT_UNSUBSCRIBES)
def test_near_misses_are_not_unsubscribes(body: str) -> None:
    assert category(body) is not Category.UNSUBSCRIBE
