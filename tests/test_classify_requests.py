"""Requests people write in their own words (issue 12, items 2 and 6).

Synthetic messages written for these tests, Dutch and English: erasure and
objection under the AVG/GDPR are an unsubscribe, an access request is not
(a person answers it); first messages that ask about the workshop, its dates
or joining are inquiries however they are worded.
"""

from __future__ import annotations

import pytest

from inbox_worker.reading.classify import Category, classify
from inbox_worker.reading.message import parse
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


INQUIRIES = [
    # (body, subject): first messages that ask about the workshop in other words
    ("Ik heb belangstelling voor de workshop. Graag de data.", "Workshop"),
    ("Dear Sir or Madam,\nI am writing to enquire when the next sessions take place.",
     "Co-creation workshop enquiry"),
    ("I'd be grateful if you could let me know the upcoming dates of your workshop.", "Dates"),
    ("We should like to enquire about places for two colleagues on the course.", "Enquiry"),
    # a phone: no question mark, no greeting
    ("wanneer is de volgende workshop", "Workshop"),
    ("Ik hoor graag hoe ik me kan aanmelden.", "Co-creëren"),
    # the question at the end of a long story
    ("Goedemiddag,\n\nIk werk sinds kort bij de gemeente als procesregisseur. Vorig jaar hebben "
     "we een bewonersavond georganiseerd die anders liep dan gehoopt: bewoners vonden dat alles "
     "al vastlag, en dat klopte ook. Ons college wil het nu anders doen, eerder en samen met "
     "bewoners. Mijn team is gewend om met een uitgewerkt plan naar buiten te gaan.\n\n"
     "Zou dit iets voor ons kunnen zijn, en zo ja: wanneer kunnen we instappen?",
     "Participatie in de wijk"),
    ("Please could you send me details of the next workshop.", "Workshop"),
    ("Hoeveel kost de workshop per deelnemer", "Workshop"),
    # the question only in the subject: the body is empty or only a phone's footer
    ("", "Is er in maart nog plek bij de workshop?"),
    ("Sent from my iPad", "Dates for the co-creation workshop in 2027?"),
]  # fmt: skip


@pytest.mark.parametrize(("body", "subject"), INQUIRIES)
def test_inquiries_in_other_words(body: str, subject: str) -> None:
    result = classify(parse(mail(body, subject)), OFFERED)
    assert result.category is Category.INQUIRY, result.reasons
    assert "text:topic" in result.reasons


REPLY = "In-Reply-To: <ours@organiser.example>\n"
NOT_INQUIRIES = [
    # (body, subject, headers): a question, but not about the workshop, or no question
    ("Hierbij bevestigen wij de reservering van de zaal op 4 februari voor 16 personen. Het "
     "definitieve aantal horen we graag uiterlijk een week van tevoren; tot dan kun je "
     "kosteloos wijzigen.", "Bevestiging reservering", ""),
    ("Wat is het adres van de locatie, en kan ik daar in de buurt parkeren?",
     "RE: Herinnering: donderdag 4 februari", REPLY),
    ("Could you book a hotel near the station for me? I arrive the evening before.",
     "Travel to Zwolle", ""),
    ("Several of my students attended your workshop. Would you be willing to give a guest "
     "lecture in our course in April?", "Guest lecture?", ""),
    ("Ik heb geen interesse in de workshop, dank u.", "Workshop", ""),
    ("How do you process my data? I could not find a privacy statement.", "Privacy", ""),
    ("", "Re: Workshop dates?", REPLY),
]  # fmt: skip


@pytest.mark.parametrize(("body", "subject", "headers"), NOT_INQUIRIES)
def test_near_misses_are_not_inquiries(body: str, subject: str, headers: str) -> None:
    assert category(body, subject, headers) is not Category.INQUIRY


def test_asking_to_join_beside_a_guest_lecture_is_an_inquiry() -> None:
    body = (
        "Would it be possible for a few students to join one of your sessions? Or could you "
        "give a guest lecture on the same topic?"
    )
    assert category(body, "Students") is Category.INQUIRY
