"""Reading a choice, a change of mind and a cancellation as people write them (issue 12).

Short synthetic messages, Dutch and English, with near-misses that must not book,
move or cancel anything: a wrong action is worse than a miss, because what the
reading leaves open goes to the organiser.
"""

from __future__ import annotations

import pytest

from inbox_worker.reading.classify import Category, classify
from inbox_worker.reading.extract import extract
from inbox_worker.reading.message import parse
from inbox_worker.reading.options import read_choice
from inbox_worker.reading.quoting import inline_replies, split_body
from tests.mailfactory import OFFERED

# Our offer as a Gmail user quotes it; an inline answer goes under one of its lines.
QUOTED_OFFER = """\
> Dit zijn de komende data waarop nog plaats is:
>
>    - *Optie 1:* dinsdag 12 januari 2027, 09:30-16:30, Utrecht
>    - *Optie 2:* donderdag 4 februari 2027, 09:30-16:30, Zwolle
>    - *Optie 3:* woensdag 10 maart 2027, 09:30-16:30, online
{inline}>
> Aanmelden gaat eenvoudig: beantwoord deze e-mail met het nummer van je optie
> en het aantal deelnemers, bijvoorbeeld "Optie 1, 2 deelnemers".
>
> Met vriendelijke groet,
> Gertjan
"""


def _mail(body: str, subject: str = "Re: Workshop", reply: bool = True) -> bytes:
    return (
        "From: Anna Smit <anna@example.nl>\nTo: organiser@example.org\n"
        f"Subject: {subject}\n"
        + ("In-Reply-To: <offer-1@example.org>\n" if reply else "")
        + "Content-Type: text/plain; charset=utf-8\n\n"
        + body
        + "\n"
    ).encode()


def _read(body: str, subject: str = "Re: Workshop", reply: bool = True):  # type: ignore[no-untyped-def]
    msg = parse(_mail(body + "\n\nGroet,\nAnna", subject, reply))
    result = classify(msg, OFFERED)
    return result, extract(msg, OFFERED, result)


def _picked(text: str) -> int | None:
    return read_choice(text, OFFERED).number


# ---------------------------------------------------------------- the choice itself


@pytest.mark.parametrize(
    ("text", "option"),
    [
        # a weekday, a numeric date, a bare number
        ("Doe maar donderdag.", 2),
        ("Thursday works for me.", 2),
        ("12/1 graag", 1),
        ("Woensdag 10-3 graag.", 3),
        ("Graag op 10-03-2027.", 3),
        ("Ik kom toch liever op de 10e.", 3),
        ("The 12th works best for me.", 1),
        ("2", 2),
        ("Hoi Gertjan,\n\n3!", 3),
        # a request asked as a question names one session: a choice
        ("Kan ik me aanmelden voor 4 februari?", 2),
        ("Is het mogelijk om me in te schrijven voor 4 februari?", 2),
        ("Kunt u mij inschrijven voor 12 januari?", 1),
        ("Could you put me down for the online one?", 3),
        # one chosen, the others turned down
        ("12 januari graag; 4 februari kan ik niet en online vind ik minder geschikt.", 1),
        ("The online one please; Utrecht and Zwolle are too far for me.", 3),
        ("Could you put me down for the online one? Travelling to Zwolle or Utrecht is tricky.", 3),
        ("Ik kan helaas niet op 12 januari, wel op 4 februari.", 2),
        ("Dinsdag kan ik niet, donderdag wel.", 2),
        # a place given as the reason, not the choice
        ("Doe maar donderdag, dan ben ik toch al in Zwolle.", 2),
        ("Ik woon in Zwolle, dus online graag.", 3),
        ("I work in Utrecht, so the online session suits me best.", 3),
        # "online" is a session only where it names one
        ("Ik heb de informatie online gelezen, optie 2 graag.", 2),
        ("Ik volg het liever online.", 3),
        # a first mail that books on the condition that there is room
        ("Zijn er voor 4 februari nog twee plekken vrij? Dan komen we graag.", 2),
        ("Is 4 februari nog mogelijk? Zo ja, dan graag voor 2 personen.", 2),
        ("Optie 2 graag, als er nog plek is.", 2),
        # a change of mind names the new session
        ("Ik heb me bedacht: toch liever de online sessie.", 3),
        ("Would it be possible to move me to 10 March instead?", 3),
        ("Option 2 please instead of option 1.", 2),
        ("Kan ik overstappen naar maart?", 3),
        ("Kunnen we naar maart schuiven? Voor ons allebei dan.", 3),
        ("Kan ik in plaats van 12 januari op 4 februari komen?", 2),
        ("Could you change my booking from 12 January to 10 March?", 3),
        ("Ik wil graag ruilen: van Zwolle naar online.", 3),
        ("Is it possible to swap my place on 4 February for one on 10 March?", 3),
        ("Ik wil mijn inschrijving wijzigen naar 10 maart.", 3),
    ],
)
def test_choices_people_write(text: str, option: int) -> None:
    assert _picked(text) == option


@pytest.mark.parametrize(
    ("text", "why"),
    [
        # left open: the organiser decides, nothing is booked
        ("1 of 2 is allebei goed, zet me maar waar het minst vol is.", "ambiguous"),
        ("Optie 1 of 2 is allebei goed.", "ambiguous"),
        ("Either option 1 or 2 is fine with me.", "ambiguous"),
        ("Ik kan zowel 12 januari als 4 februari.", "ambiguous"),
        ("Liefst optie 1, anders optie 2.", "ambiguous"),
        # tentative
        ("Eventueel optie 2.", "hedged"),
        ("Misschien 4 februari, ik laat het nog weten.", "hedged"),
        ("I might come on 4 February.", "hedged"),
        # on a condition a person must check
        ("Als de online sessie via Teams gaat, meld ik me aan voor optie 3.", "conditional"),
        ("Ik kom op 4 februari als de zaal rolstoeltoegankelijk is.", "conditional"),
        ("Is de locatie in Zwolle rolstoeltoegankelijk? Dan kom ik graag.", "conditional"),
        ("I'll take option 2, provided the room is step-free.", "conditional"),
    ],
)
def test_a_choice_left_open_picks_nothing(text: str, why: str) -> None:
    reading = read_choice(text, OFFERED)
    assert (reading.number, reading.open) == (None, why)


@pytest.mark.parametrize(
    "text",
    [
        "Ik woon in Zwolle.",
        "Ik werk in Utrecht en wil graag informatie.",
        "Let me know if 4 February is still available.",
        "Is er op 4 februari nog plek?",
        "Hoe kan ik me inschrijven voor 12 januari?",
        "Could you tell me whether there are still places on 4 February?",
        "Zijn er voor 4 februari nog plekken? Dan hoor ik het graag.",
        "Ik heb interesse in de workshop in februari.",
        "We would like to attend in March or April.",
        "Ik weet niet of ik op 4 februari kan.",
        "Ik kan niet op 12 januari.",
        "The Zwolle session is too far for me.",
        "De lunch is van 12:30-13:30, of is dat 12/13?",
        "Bel me gerust op 06-12345678.",
    ],
)
def test_near_misses_pick_nothing(text: str) -> None:
    assert _picked(text) is None


def test_the_session_given_up_is_named_when_the_text_names_it() -> None:
    assert read_choice("Option 2 please instead of option 1.", OFFERED).given_up == 1
    assert read_choice("Graag van optie 1 naar optie 2.", OFFERED).given_up == 1
    assert (
        read_choice("Ik sta nu op 4 februari; graag omzetten naar 10 maart.", OFFERED).given_up == 2
    )
    assert read_choice("Toch liever de online sessie.", OFFERED).given_up is None
    swap = "Is it possible to swap my place on 4 February for one on 10 March?"
    assert read_choice(swap, OFFERED).given_up == 2
    # "op" marks the session left only in a sentence that switches
    assert read_choice("Ik kom op 12 januari graag naar Utrecht.", OFFERED).given_up is None


# ---------------------------------------------------------------- whole messages


@pytest.mark.parametrize(
    ("body", "option", "given_up"),
    [
        ("Ik heb me bedacht: toch liever de online sessie.", 3, None),
        ("Would it be possible to move me to 10 March instead?", 3, None),
        ("option 2 please instead of option 1", 2, 1),
        ("Kan ik nog overstappen naar de online sessie in maart?", 3, None),
        (
            "Ik moet me helaas afmelden voor 12 januari. "
            "Kan ik in plaats daarvan op 10 maart komen?",
            3,
            None,
        ),
        ("Ik kan helaas niet komen op 12 januari, maar wel op 4 februari.", 2, None),
        ("4 februari kan ik toch niet, 10 maart wel.", 3, None),
        ("Ik sta ingeschreven voor 12 januari, maar wil liever naar 4 februari.", 2, 1),
    ],
)
def test_a_change_of_mind_is_a_date_choice_for_the_new_session(
    body: str, option: int, given_up: int | None
) -> None:
    result, facts = _read(body)
    assert result.category is Category.DATE_CHOICE, result.reasons
    assert facts.option == option
    assert (f"given-up:{given_up}" in result.reasons) == (given_up is not None)


@pytest.mark.parametrize(
    ("body", "option"),
    [
        ("Hierbij zie ik af van deelname aan de workshop.", None),
        ("I have to withdraw from the 10 March session.", 3),
        ("Helaas trekken we ons terug.", None),
        (
            "Door een bezuinigingsronde is ons opleidingsbudget geschrapt. Helaas moeten we ons "
            "daarom terugtrekken, en dat geldt voor alle drie de aanmeldingen.",
            None,
        ),
        ("Ik moet mijn aanmelding helaas intrekken.", None),
        ("Ik ben 12/1 helaas verhinderd.", 1),
        ("Het gaat me helaas niet lukken om te komen.", None),
        ("Ik kan er helaas niet bij zijn.", None),
        ("Ik moet helaas verstek laten gaan.", None),
        ("Bij deze wil ik mijn aanmelding ongedaan maken.", None),
        ("Due to budget cuts, our department has decided to withdraw its registration.", None),
        ("Please cancel my place.", None),
        ("Unfortunately I have to drop out.", None),
        # a cancellation that asks about later dates is still a cancellation
        ("Ik kan helaas niet op 10 maart. Wil je me op de hoogte houden van nieuwe data?", 3),
        ("We need to pull out of the 4 February session. Will there be dates in autumn?", 2),
        # partial: one of a group, or someone else takes the place
        ("Een van mijn drie collega's kan helaas niet komen.", None),
        ("Mijn collega kan helaas niet. Ik kom wel op 4 februari.", 2),
        ("Ik meld me af voor 12 januari; mijn collega Jan komt in mijn plaats.", 1),
    ],
)
def test_cancellations(body: str, option: int | None) -> None:
    result, facts = _read(body)
    assert result.category is Category.CANCELLATION, result.reasons
    assert facts.option == option


@pytest.mark.parametrize(
    ("body", "category"),
    [
        ("Kan ik mijn aanmelding nog kosteloos annuleren?", Category.INQUIRY),
        ("Afgezien van de prijs heb ik een vraag: is er parkeergelegenheid?", Category.INQUIRY),
        ("Ik zie er naar uit!", Category.OTHER),
        ("Ik trek het even na bij mijn leidinggevende.", Category.OTHER),
        ("Mocht ik niet kunnen komen, dan laat ik het weten.", Category.OTHER),
        ("We trekken samen op met de provincie in dit project.", Category.OTHER),
    ],
)
def test_near_misses_are_no_cancellation(body: str, category: Category) -> None:
    result, _ = _read(body)
    assert result.category is category, result.reasons


def test_a_date_choice_never_books_a_session_it_only_turns_down() -> None:
    # the wish to register is read, no session is picked: Zwolle is turned down
    result, facts = _read("Ik wil me graag aanmelden voor de workshop; Zwolle is voor mij te ver.")
    assert result.category is Category.DATE_CHOICE, result.reasons
    assert facts.option is None


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("1 of 2 is allebei prima, zet me maar waar het minst vol is.", "option:ambiguous"),
        ("Either option 1 or 2 works for us.", "option:ambiguous"),
        ("Ik kom op 4 februari als de zaal rolstoeltoegankelijk is.", "option:conditional"),
    ],
)
def test_a_reply_that_leaves_the_choice_open_is_a_choice_without_option(
    body: str, reason: str
) -> None:
    result, facts = _read(body)
    assert result.category is Category.DATE_CHOICE
    assert reason in result.reasons
    assert facts.option is None


def test_a_choice_in_the_subject() -> None:
    result, facts = _read("Zie onderwerp.", subject="Re: Workshop - optie 2")
    assert (result.category, facts.option) == (Category.DATE_CHOICE, 2)
    assert "subject:number" in result.reasons
    # without the pointer the subject is not read as a choice
    result, _ = _read("Dank voor de informatie.", subject="Re: Workshop - optie 2")
    assert result.category is not Category.DATE_CHOICE


def test_a_first_mail_that_books_on_room() -> None:
    result, facts = _read(
        "Zijn er voor 4 februari in Zwolle nog twee plekken vrij? Dan komen we graag.",
        subject="Nog 2 plekken op 4 februari?",
        reply=False,
    )
    assert (result.category, facts.option) == (Category.DATE_CHOICE, 2)


# ---------------------------------------------------------------- quoting


def test_bottom_posted_answer_is_the_new_text() -> None:
    body = (
        "Op 20-11-2026 om 10:05 schreef Gertjan:\n"
        + QUOTED_OFFER.format(inline="")
        + "\nWoensdag 10-3 graag. De andere twee data zit ik in het algemeen bestuur.\n\n"
        "Groet,\nGerrit\n"
    )
    split = split_body(body)
    assert split.new.startswith("Woensdag 10-3 graag.")
    assert "Gerrit" in split.signature
    result, facts = _read(body)
    assert (result.category, facts.option) == (Category.DATE_CHOICE, 3)


def test_inline_answer_is_paired_with_the_line_it_answers() -> None:
    body = "Op do 3 dec 2026 schreef Gertjan:\n" + QUOTED_OFFER.format(
        inline="\nDeze graag! Zwolle of Utrecht is voor mij een eind rijden.\n\n"
    )
    assert split_body(body).new == "Deze graag! Zwolle of Utrecht is voor mij een eind rijden."
    context, reply = inline_replies(body)[0]
    assert context.startswith("- *Optie 3:*")
    assert reply.startswith("Deze graag!")
    result, facts = _read(body)
    assert (result.category, facts.option) == (Category.DATE_CHOICE, 3)
    assert "inline:anaphor" in result.reasons


def test_an_inline_remark_under_an_option_line_is_no_choice() -> None:
    body = "Op do 3 dec 2026 schreef Gertjan:\n" + QUOTED_OFFER.format(
        inline="\nHier heb ik nog een vraag over, ik bel je morgen.\n\n"
    )
    result, facts = _read(body)
    assert result.category is not Category.DATE_CHOICE
    assert facts.option is None


def test_our_offer_under_a_top_posted_reply_stays_quoted() -> None:
    body = "Dank je, ik overleg het even met mijn team.\n\nOp 20-11-2026 schreef Gertjan:\n"
    body += QUOTED_OFFER.format(inline="")
    assert split_body(body).new == "Dank je, ik overleg het even met mijn team."
    assert inline_replies(body) == []
    result, _ = _read(body)  # the quoted example "Optie 1, 2 deelnemers" never books
    assert result.category is not Category.DATE_CHOICE


def test_plain_history_under_an_outlook_header_block_is_no_answer() -> None:
    body = (
        "\nVan: Gertjan <workshops@example.org>\nVerzonden: 20 november 2026\n"
        "Aan: Anna\nOnderwerp: Workshop\n\nOptie 1: dinsdag 12 januari 2027, Utrecht\n"
    )
    assert split_body(body).new == ""
    assert inline_replies(body) == []


def test_groupwise_history_is_quoted_history() -> None:
    text = (
        "Zwolle graag.\n\nGroet, Henk\n\n"
        ">>> Gertjan Verstoep <workshops@example.org> 24-11-2026 9:20 >>>\n"
        "Beste Henk,\n\nOptie 1: dinsdag 12 januari 2027, Utrecht\n"
        "Optie 2: donderdag 4 februari 2027, Zwolle\n"
    )
    split = split_body(text)
    assert split.new == "Zwolle graag."
    assert "Optie 1" in split.quoted
    assert inline_replies(text) == []
    result, facts = _read(text)
    assert (result.category, facts.option) == (Category.DATE_CHOICE, 2)


def test_given_up_is_stored_with_the_facts() -> None:
    _, facts = _read("option 2 please instead of option 1")
    assert (facts.option, facts.given_up) == (2, 1)
    assert '"given_up": 1' in facts.to_json()
    _, facts = _read("Ik heb me bedacht: toch liever de online sessie.")
    assert (facts.option, facts.given_up) == (3, None)
