"""extract: names, organisations, org types, phones, participants, the option picked."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from inbox_worker.reading.extract import (
    extract,
    find_participants,
    find_phone,
)
from inbox_worker.reading.message import parse
from inbox_worker.reading.options import choose_option
from inbox_worker.reading.orgs import domain_org_type, org_type_of, person_name
from tests.corpus import corpus_files, parsed
from tests.mailfactory import OFFERED

FIXTURES = Path(__file__).parent / "fixtures" / "mail"


def test_facts_from_an_outlook_reply() -> None:
    facts = extract(parse((FIXTURES / "date_choice_number.eml").read_bytes()), OFFERED)
    assert facts.name == "Marloes Brink"
    assert facts.organisation == "Gemeente Zwolle"
    assert facts.org_type == "gemeente"
    assert facts.phone == "06 - 1234 5678"
    assert facts.participants == 4
    assert facts.option == 2


def test_forwarded_writer_is_the_person() -> None:
    facts = extract(parse((FIXTURES / "forwarded.eml").read_bytes()))
    assert (facts.name, facts.organisation, facts.org_type) == (
        "Sanne de Jong",
        "Provincie Voorbeeld",
        "provincie",
    )


def test_bounce_has_no_person_facts() -> None:
    assert extract(parse((FIXTURES / "bounce_dsn.eml").read_bytes())).name is None


@pytest.mark.parametrize(
    ("text", "option"),
    [
        ("Optie 2 graag.", 2),  # number
        ("Doe mij de eerste maar.", 1),  # ordinal
        ("The third option works for me.", 3),  # ordinal, English
        ("Graag aanmelden voor 4 februari.", 2),  # date
        ("Could you sign me up for the 12th of January?", 1),  # English date
        ("Woensdag kan ik het beste.", 3),  # weekday
        ("Zwolle is voor mij dichtbij, dus die graag.", 2),  # place
        (
            "Ik zag dat u op 4 februari in Zwolle zit. Daar meld ik me graag voor aan.",
            2,
        ),  # anaphora
        ("I'm booked for Zwolle but could you switch me to the online session instead?", 3),
        ("Ik twijfel nog tussen optie 1 en optie 2.", None),  # undecided
        ("Is er op 12 januari nog plek? Ik kan me nog niet aanmelden.", None),  # asks only
        ("Ik werk bij de gemeente Utrecht en wil graag informatie.", None),  # place in org name
    ],
)
def test_choose_option(text: str, option: int | None) -> None:
    got = choose_option(text, OFFERED)
    assert (got[0] if got else None) == option


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("Ik kom met twee collega's.", 3),
        ("Wij komen met z'n vieren.", 4),
        ("We'll be 2: myself and a colleague.", 2),
        ("My colleague and I would like to join.", 2),
        ("Het gaat om een man of 15.", 15),
        ("Een workshop voor 25 medewerkers.", 25),
        (
            "We zijn met ongeveer 10 mensen, maar misschien sturen we eerst een paar collega's.",
            None,
        ),
        ("Voor mijzelf en mogelijk een collega.", None),
        ("Graag meld ik me aan voor optie 1.", 1),
        ("Graag informatie over de workshop.", None),
    ],
)
def test_participants(text: str, count: int | None) -> None:
    assert find_participants(text, None) == count


@pytest.mark.parametrize(
    ("display", "addr", "signature", "name"),
    [
        ("Brink, Marloes", "m.brink@zwolle.nl", "", "Marloes Brink"),
        ("Heuvel, Nicole van den", "n.vandenheuvel@x.nl", "", "Nicole van den Heuvel"),
        (
            "Laurent, S. (Sophie)",
            "s.laurent@x.nl",
            "Kind regards,\nSophie\n\nSophie Laurent",
            "Sophie Laurent",
        ),
        ("Gemeente Zwolle", "info@zwolle.nl", "", None),
        ("Publiek Bestuur Vandaag", "redactie@publiekbestuurvandaag.nl", "", None),
        ("Mail Delivery Subsystem", "mailer-daemon@googlemail.com", "", None),
        ("Anouk Smit via Netwerk", "netwerk@lists.example.nl", "", "Anouk Smit"),
    ],
)
def test_person_name(display: str, addr: str, signature: str, name: str | None) -> None:
    assert person_name(display, addr, signature, "") == name


@pytest.mark.parametrize(
    ("organisation", "addr", "kind"),
    [
        ("Gemeente Breda", "x@breda.nl", "gemeente"),
        ("Municipality of The Hague", "x@denhaag.nl", "gemeente"),
        ("Provinsje Fryslân", "x@fryslan.frl", "provincie"),
        ("Wetterskip Fryslân", "x@wetterskipfryslan.nl", "waterschap"),
        ("Ministerie van LNV", "x@minlnv.nl", "rijksoverheid"),
        ("CBR", "x@cbr.nl", "zbo"),
        ("Wageningen University & Research", "x@wur.nl", "other"),
        (None, "x@gmail.com", None),
    ],
)
def test_org_type(organisation: str | None, addr: str, kind: str | None) -> None:
    assert org_type_of(organisation, addr) == kind


@pytest.mark.parametrize(
    ("addr", "kind"),
    [
        ("p.jansen@zwolle.nl", "gemeente"),
        ("p.jansen@mail.zwolle.nl", "gemeente"),
        ("a@gemeente-voorbeeld.nl", "gemeente"),
        ("a@gemeentevoorbeeld.nl", "gemeente"),
        ("a@s-hertogenbosch.nl", "gemeente"),
        ("a@utrecht.nl", "gemeente"),  # the city; the province is provincie-utrecht.nl
        ("a@provincie-utrecht.nl", "provincie"),
        ("a@groningen.nl", "gemeente"),
        ("a@provinciegroningen.nl", "provincie"),
        ("a@provincievoorbeeld.nl", "provincie"),
        ("a@gelderland.nl", "provincie"),
        ("a@fryslan.frl", "provincie"),
        ("a@hhnk.nl", "waterschap"),
        ("a@waterschapvoorbeeld.nl", "waterschap"),
        ("a@wetterskipfryslan.nl", "waterschap"),
        ("a@minbzk.nl", "rijksoverheid"),
        ("a@rijksoverheid.nl", "rijksoverheid"),
        ("a@minfin.nl", "rijksoverheid"),
        ("a@dienst.ministerie-voorbeeld.nl", "rijksoverheid"),
        ("a@cbr.nl", "zbo"),
        ("a@rdw.nl", "zbo"),
        ("a@duo.nl", "zbo"),
        ("a@uwv.nl", "zbo"),
        ("a@svb.nl", "zbo"),
        ("a@kvk.nl", "zbo"),
        ("a@gmail.com", None),
        ("a@zwolle.com", None),  # a municipality's name under another TLD says nothing
        ("a@vng.nl", None),
        ("", None),
    ],
)
def test_org_type_from_the_domain_alone(addr: str, kind: str | None) -> None:
    assert domain_org_type(addr) == kind
    assert org_type_of(None, addr) == kind


def test_org_type_from_the_domain_when_no_organisation_is_written() -> None:
    raw = b"From: Piet Jansen <p.jansen@zwolle.nl>\nSubject: Vraag\n\nIs er nog plek op 4 februari?\n\nPiet\n"
    facts = extract(parse(raw))
    assert (facts.organisation, facts.org_type) == (None, "gemeente")


def test_the_organisation_name_types_first_then_the_domain() -> None:
    assert org_type_of("Provincie Overijssel", "a@zwolle.nl") == "provincie"
    assert org_type_of("Team Vergunningen", "a@zwolle.nl") == "gemeente"
    assert org_type_of("Wageningen University & Research", "a@wur.nl") == "other"


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("T 06 - 1234 8811", "06 - 1234 8811"),
        ("Tel: +31 6 12345678", "+31 6 12345678"),
        ("(030) 123 4567", "(030) 123 4567"),
        ("Postbus 10.000 | 5670 GA Nuenen", None),
    ],
)
def test_phone(text: str, phone: str | None) -> None:
    assert find_phone(text) == phone


def test_dates_in_new_text() -> None:
    raw = b"From: a@b.nl\nDate: Mon, 2 Nov 2026 10:00:00 +0100\nSubject: x\n\nKan het op 12 januari of 4 februari 2027?\n"
    assert extract(parse(raw)).dates == (date(2027, 1, 12), date(2027, 2, 4))


# ---------------------------------------------------------------- fast paths


def _real_texts() -> list[str]:

    files = list(FIXTURES.glob("*.eml"))
    files += list((Path(__file__).parents[1] / "inbox_worker" / "demo_mail").glob("*.eml"))
    files += corpus_files()
    out = []
    for msg in parsed(files):
        out += [msg.new_text[:4000], msg.signature[:2000], msg.new_text[:4000].lower()]
    return out


def test_pre_filtered_searches_equal_plain_searches() -> None:
    from inbox_worker.reading import extract as ex

    texts = [*_real_texts(), "met twee collega's", "wij komen met z'n vieren", "tel 06-12345678"]
    for text in texts:
        for pattern in ex._NEEDLES:
            assert bool(ex._search(pattern, text)) == bool(pattern.search(text))
            assert [m.span() for m in ex._finditer(pattern, text)] == [
                m.span() for m in pattern.finditer(text)
            ]
        if ex.PHONE_RE.search(text):
            assert ex.PHONE_HINT_RE.search(text), text


def test_extract_told_a_human_classification_reads_as_without_one() -> None:
    from inbox_worker.reading.classify import classify

    for path in sorted(FIXTURES.glob("*.eml")):
        msg = parse(path.read_bytes())
        result = classify(msg, OFFERED)
        facts = extract(msg, OFFERED, result)
        plain = extract(msg, OFFERED)
        if result.category.is_machine:
            # who wrote it is still read; what they want is not
            assert (facts.name, facts.organisation, facts.phone) == (
                plain.name,
                plain.organisation,
                plain.phone,
            )
            assert (facts.option, facts.participants, facts.dates) == (None, None, ())
        else:
            assert facts == plain, path.name


def test_day_month_pattern_equals_its_word_boundary_form() -> None:
    import re

    from inbox_worker.reading.mentions import DAY_MONTH_PLAIN, DAY_MONTH_RE
    from tests.corpus import corpus_files, parsed

    plain = re.compile(DAY_MONTH_PLAIN)
    texts = [
        "op 12 januari, 4 feb. 2027 en a12 maart, 1st of march, ٣ mei, x_5 juni 31e december",
        "12januari 2 mei2027 05 april 2027 123 mei",
    ]
    texts += [m.new_text.lower() for m in parsed(corpus_files())]
    for text in texts:
        expected = [(m.span(), m.groups()) for m in plain.finditer(text)]
        assert [(m.span(), m.groups()) for m in DAY_MONTH_RE.finditer(text)] == expected


def test_facts_are_stored_as_asdict_would_write_them() -> None:
    import json
    from dataclasses import asdict
    from datetime import date

    from inbox_worker.reading.extract import Facts

    for facts in (
        Facts(),
        Facts(
            name="Joëlle Öztürk",
            organisation="Gemeente Súdwest-Fryslân",
            org_type="gemeente",
            phone="06 12 34 56 78",
            participants=3,
            option=2,
            dates=(date(2027, 1, 12), date(2027, 2, 4)),
        ),
    ):
        assert facts.to_json() == json.dumps(asdict(facts), default=str)
