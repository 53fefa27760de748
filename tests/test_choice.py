"""Reading a choice, a change of mind and a cancellation as people write them (issue 12).

Short synthetic messages, Dutch and English, with near-misses that must not book,
move or cancel anything: a wrong action is worse than a miss, because what the
reading leaves open goes to the organiser.
"""

from __future__ import annotations

from inbox_worker.quoting import inline_replies, split_body

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


def test_inline_answer_is_paired_with_the_line_it_answers() -> None:
    body = "Op do 3 dec 2026 schreef Gertjan:\n" + QUOTED_OFFER.format(
        inline="\nDeze graag! Zwolle of Utrecht is voor mij een eind rijden.\n\n"
    )
    assert split_body(body).new == "Deze graag! Zwolle of Utrecht is voor mij een eind rijden."
    context, reply = inline_replies(body)[0]
    assert context.startswith("- *Optie 3:*")
    assert reply.startswith("Deze graag!")


def test_our_offer_under_a_top_posted_reply_stays_quoted() -> None:
    body = "Dank je, ik overleg het even met mijn team.\n\nOp 20-11-2026 schreef Gertjan:\n"
    body += QUOTED_OFFER.format(inline="")
    assert split_body(body).new == "Dank je, ik overleg het even met mijn team."
    assert inline_replies(body) == []


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
