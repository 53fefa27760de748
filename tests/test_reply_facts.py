"""Replies name only what is sure (issue 14): the organisation and the greeting's name."""

import pytest

from inbox_worker.reading.orgs import greeting_name, reply_organisation, tidy_organisation


@pytest.mark.parametrize(
    ("found", "shown"),
    [
        ("Gemeente Zwolle", "Gemeente Zwolle"),
        ("gemeente Barneveld", "gemeente Barneveld"),
        ("Teamleider Wijkzaken, Gemeente Zwolle", "Gemeente Zwolle"),
        ("Beleidsmedewerker Sport, gemeente Barneveld", "gemeente Barneveld"),
        ("Community Engagement Advisor, Gemeente Havenstad", "Gemeente Havenstad"),
        ("Community Engagement Advisor", ""),
        ("Product Owner Registratie & Geo", ""),
        (
            "Ministerie van Binnenlandse Zaken maar mail even vanaf mijn privéadres",
            "Ministerie van Binnenlandse Zaken",
        ),
        ("Gemeente Gouda – Team Wijkgericht Werken", "Gemeente Gouda"),
        ("Ministry of Health, Welfare and Sport", "Ministry of Health, Welfare and Sport"),
        ("Gemeente ’s-Hertogenbosch", "Gemeente ’s-Hertogenbosch"),
        ("Gemeente Wijk bij Duurstede", "Gemeente Wijk bij Duurstede"),
        (
            "IWGI – International Water Governance Institute",
            "IWGI – International Water Governance Institute",
        ),
        ("Institute for Public Management, HU", ""),
        ("Jotform", ""),
        ("de gemeente die ik noemde", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_reply_organisation_only_when_sure(found, shown):
    assert reply_organisation(found) == shown
    assert tidy_organisation(found) == shown


@pytest.mark.parametrize(
    ("name", "greeting"),
    [
        ("Karin de Vries", "Karin"),
        ("Liam O'Connor", "Liam"),
        ("Anne-Marie Jansen", "Anne-Marie"),
        ("jan bakker", "Jan"),
        ("J. Bakker", ""),
        ("Dhr. Bakker", ""),
        ("Groetjes Ilse", ""),
        ("Vergadercentrum De Spoorzaal", ""),
        ("Team Wijkzaken", ""),
        ("Gemeente Zwolle", ""),
        ("info@example.org", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_greeting_name_only_when_sure(name, greeting):
    assert greeting_name(name) == greeting
