"""Decisions you can trust (issue 12), on real Dovecot and aiosmtpd.

The organiser and every participant share one mail provider (gmail.com), as
they do for many small organisers: sharing a domain says nothing about who
someone is. Each test is a case of "What goes wrong today" in issue 12,
written with the issue's own phrasings, and ends in the state the organiser
would have reached by hand: the right bookings, the right mail to the right
person, or needs_attention with the reason and nothing sent.

Where one pass carries several people's mail, a test collects every wrong
outcome before failing, with how each message was read, so that one failure
names all the phrasings that are still misread.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import cli
from tests import mailfactory
from tests.imapdesk import Desk, Person, invites, recipients, text, to
from tests.servers import ImapAccount, SmtpServer

ORGANISER = "gertjan.verstoep@gmail.com"
ALIAS = ("gertjan.workshops@gmail.com", "Gertjan Verstoep")  # [organiser] aliases
SECRETARIAAT = ("secretariaat.verstoep@gmail.com", "Secretariaat Verstoep")  # forwarders
AUTHSERV = "mx.google.com"  # the organiser's receiving server, Gmail's

ANNA = ("anna.devries@gmail.com", "Anna de Vries")
BOB = ("bob.jansen@gmail.com", "Bob Jansen")
MALLORY = ("mallory@gmail.com", "Mallory")
ALICE = ("alice.bakker@gmail.com", "Alice Bakker")
CAROL = ("carol.smith@gmail.com", "Carol Smith")
DIRK = ("dirk.mulder@gmail.com", "Dirk Mulder")
EVA = ("eva.vandam@gmail.com", "Eva van Dam")
FEMKE = ("femke.dekker@gmail.com", "Femke Dekker")
GRACE = ("grace.mensah@gmail.com", "Grace Mensah")
HENK = ("henk.smit@gmail.com", "Henk Smit")
JAMES = ("james.wilson@gmail.com", "James Wilson")
MARIEKE = ("marieke.jansen@gmail.com", "Marieke Jansen")
PETRA = ("petra.visser@gmail.com", "Petra Visser")
PIET = ("piet.bos@gmail.com", "Piet Bos")
SOPHIE = ("sophie.meijer@gmail.com", "Sophie Meijer")
TOM = ("tom.obrien@gmail.com", "Tom O'Brien")

SETTINGS = {
    "organiser": ORGANISER,
    "aliases": (ALIAS[0],),
    "forwarders": (SECRETARIAAT[0],),
    "authserv_id": AUTHSERV,
    # 2094 puts the sessions on the weekdays of the 2027: Utrecht on
    # Tuesday 12 January, Zwolle on Thursday 4 February, online on Wednesday 10 March.
    "year": 2094,
    "utrecht_capacity": 16,
}
UTRECHT, ZWOLLE, ONLINE = "utrecht", "zwolle", "online"

# What the organiser's receiving server writes on top of each message it accepts.
DMARC_PASS = (
    "Authentication-Results",
    f"{AUTHSERV};\n       dkim=pass header.i=@gmail.com header.s=20230601 header.b=Xq3lT0mA;"
    "\n       spf=pass (google.com: domain of {who} designates 209.85.220.41 as permitted"
    " sender) smtp.mailfrom={who};"
    "\n       dmarc=pass (p=NONE sp=QUARANTINE dis=NONE) header.from=gmail.com",
)
DMARC_FAIL = (
    "Authentication-Results",
    f"{AUTHSERV};\n       dkim=none (no signature);"
    "\n       spf=softfail (google.com: domain of transitioning {who} does not designate"
    " 203.0.113.66 as permitted sender) smtp.mailfrom={who};"
    "\n       dmarc=fail (p=NONE sp=QUARANTINE dis=NONE) header.from=gmail.com",
)
# A verdict the sender wrote into the message: below the server's own, so never read.
FORGED_PASS = ("Authentication-Results", f"{AUTHSERV}; dmarc=pass header.from=gmail.com")


def verdict(header: tuple[str, str], who: Person) -> tuple[str, str]:
    return header[0], header[1].format(who=who[0])


@pytest.fixture
def make_desk(
    tmp_path: Path,
    imap_account: ImapAccount,
    smtp_server: SmtpServer,
    monkeypatch: pytest.MonkeyPatch,
) -> Callable[..., Desk]:
    monkeypatch.setenv("TEST_IMAP_PASSWORD", imap_account.password)

    def make(**overrides: object) -> Desk:
        return Desk(tmp_path, imap_account, smtp_server, **{**SETTINGS, **overrides})

    return make


@pytest.fixture
def desk(make_desk: Callable[..., Desk]) -> Desk:
    return make_desk()


def offers(
    desk: Desk, *people: Person, english: tuple[Person, ...] = ()
) -> dict[str, EmailMessage]:
    """Each person asks about the workshop (Dutch, or English for `english`): their offers."""
    for who in people:
        n = desk.next_n()
        if who in english:
            raw = mailfactory.inquiry_en(n, sender=who[0])
        else:
            raw = mailfactory.inquiry_nl(n, sender=who[0])
        desk.imap.deliver(raw)
    sent = desk.run()
    assert recipients(sent) == sorted(who[0] for who in people)
    return {m["To"].addresses[0].addr_spec: m for m in sent}


def booked(
    desk: Desk, choices: dict[Person, str], english: tuple[Person, ...] = ()
) -> dict[str, EmailMessage]:
    """Each person gets the offer and answers it with their choice: their confirmations."""
    offered = offers(desk, *choices, english=english)
    for who, choice in choices.items():
        desk.answer(who, choice, offered[who[0]])
    sent = desk.run()
    assert desk.kinds(sent) == sorted((who[0], "confirmation") for who in choices)
    return {m["To"].addresses[0].addr_spec: m for m in sent}


def methods(msg: EmailMessage) -> list[tuple[str, str]]:
    """(METHOD, location) of each calendar invite in a mail."""
    return [(str(i["method"]), str(i["location"])) for i in invites(msg)]


class Findings:
    """Every wrong outcome of one pass, each with how the person's mail was read."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk
        self.wrong: list[str] = []

    def expect(self, who: Person, what: str, ok: bool, got: object = "", sender: str = "") -> None:
        """Note a wrong outcome for `who`, with how the last mail from `sender`
        (default: theirs) was read."""
        if not ok:
            read = "; ".join(self.desk.read_as(sender or who[0])[-1:])
            self.wrong.append(f"{who[0]}: expected {what}, got {got!r} (read as {read})")

    def check(self) -> None:
        assert not self.wrong, "\n" + "\n".join(self.wrong)


# -- 1. Same provider, no answer ------------------------------------------------


def test_1_a_participant_at_the_organisers_provider_gets_the_offer(desk: Desk) -> None:
    desk.new(ANNA, "Workshop", "Ik heb interesse in de workshop. Wanneer zijn de volgende data?")
    # The organiser's own alias is internal: no lead, no answer.
    desk.new(ALIAS, "Zaal Zwolle", "Notitie voor mezelf: de zaal in Zwolle nog bevestigen.")
    sent = desk.run()
    assert desk.kinds(sent) == [(ANNA[0], "inquiry")]
    options = [line for line in text(sent[0]).splitlines() if line.startswith("Optie ")]
    assert [o.split(":")[0] for o in options] == ["Optie 1", "Optie 2", "Optie 3"]
    lead = desk.lead(ANNA[0])
    assert lead is not None and lead["status"] == "offered"
    assert desk.lead(ALIAS[0]) is None
    assert desk.read_as(ANNA[0]) and desk.read_as(ANNA[0])[0].startswith("inquiry:")


# -- 2. Inquiries in other words ------------------------------------------------

FORM = ("noreply@verstoep-advies.nl", "Verstoep Advies")  # the organiser's website
WEB_FORM = (
    "Er is een nieuw bericht verstuurd via het contactformulier.\n\n"
    f"Naam: {MARIEKE[1]}\nE-mail: {MARIEKE[0]}\nOrganisatie: Gemeente Oss\n"
    "Telefoon: 0412 123 456\n\nBericht:\nGoedemorgen, wanneer zijn de volgende data van de "
    "workshop? Ik wil me graag aanmelden.\nGroet, Marieke\n\n--\n"
    "Verzonden via https://www.verstoep-advies.nl/contact"
)
LONG_STORY = (
    "Beste Gertjan,\n\n"
    "Afgelopen jaar hebben we in onze gemeente een traject gehad rond de herinrichting van het\n"
    "stationsgebied. Dat liep niet zoals we hoopten: bewoners voelden zich niet gehoord, de\n"
    "raad greep in en we zijn eigenlijk weer bij af. Een collega van de provincie vertelde\n"
    "laatst over jouw workshop en zei dat ze er veel aan had gehad, vooral aan het deel over\n"
    "het betrekken van mensen die normaal niet naar inspraakavonden komen. Is er binnenkort\n"
    "nog een workshop waar ik aan mee kan doen, en wanneer dan? We willen het dit keer echt\n"
    "anders aanpakken.\n\n"
    "Hartelijke groet,\nFemke Dekker\nGemeente Zaltbommel\n"
)


def test_2_inquiries_in_other_words_get_the_offer(desk: Desk) -> None:
    desk.new(EVA, "Workshop", "ik heb belangstelling voor de workshop. Graag de data.")
    desk.new(
        JAMES,
        "Co-creation workshop enquiry",
        "Dear Mr Verstoep,\n\nI am writing to enquire about your co-creation workshop, in\n"
        "particular when the next sessions take place.\n\nKind regards,\nJames Wilson\n",
    )
    desk.new(FEMKE, "Participatie in onze gemeente", LONG_STORY)
    desk.new(FORM, "Nieuw bericht via het contactformulier", WEB_FORM)
    desk.new(
        HENK, "", "Nog plek bij de workshop? Wanneer is de volgende?\n\nVerstuurd vanaf mijn iPhone"
    )
    sent = desk.run()

    found = Findings(desk)
    got = dict(desk.kinds(sent))
    for who in (EVA, JAMES, FEMKE, MARIEKE, HENK):
        sender = FORM[0] if who == MARIEKE else ""
        found.expect(who, "the offer", got.get(who[0]) == "inquiry", got.get(who[0]), sender)
        lead = desk.lead(who[0])
        found.expect(
            who, "status offered", bool(lead and lead["status"] == "offered"),
            lead and lead["status"], sender,
        )  # fmt: skip
    found.expect(
        JAMES, "the offer in English", JAMES[0] in got and "Option 1:" in text(to(sent, JAMES[0]))
    )
    found.expect(MARIEKE, "no answer to the form's sender", FORM[0] not in got)
    found.check()
    assert sorted(got) == sorted(w[0] for w in (EVA, JAMES, FEMKE, MARIEKE, HENK))


# -- 3. Date choices people really write ------------------------------------------


def test_3_date_choices_people_really_write_book_the_session_they_mean(desk: Desk) -> None:
    people = (ANNA, BOB, CAROL, DIRK, EVA, PIET)
    offered = offers(desk, *people)
    option_lines = [
        line for line in text(offered[PIET[0]]).splitlines() if line.startswith("Optie ")
    ]
    desk.answer(ANNA, "doe maar donderdag", offered[ANNA[0]])
    desk.answer(BOB, "12/1", offered[BOB[0]])
    desk.answer(CAROL, "Zie onderwerp.", offered[CAROL[0]], subject="Optie 3")
    desk.answer(DIRK, "2", offered[DIRK[0]])
    desk.answer(EVA, "Kan ik me aanmelden voor 4 februari?", offered[EVA[0]])
    # Bottom-posted under a trimmed quote of the offer.
    trimmed = "\n".join("> " + line for line in option_lines)
    desk.answer(
        PIET,
        f"Op vr 20 nov. 2026 om 10:00 schreef Gertjan Verstoep <{ORGANISER}>:\n"
        f"{trimmed}\n\nOptie 1 graag, alleen voor mijzelf.\n\nPiet",
        offered[PIET[0]],
        quoting="none",
    )
    sent = desk.run()

    found = Findings(desk)
    got = dict(desk.kinds(sent))
    where = {ANNA: "Zwolle", BOB: "Utrecht", CAROL: "online", DIRK: "Zwolle", EVA: "Zwolle"}
    where[PIET] = "Utrecht"
    session = {"Utrecht": UTRECHT, "Zwolle": ZWOLLE, "online": ONLINE}
    for who, place in where.items():
        mail = [m for m in sent if m["To"].addresses[0].addr_spec == who[0]]
        found.expect(who, "a confirmation", got.get(who[0]) == "confirmation", got.get(who[0]))
        found.expect(
            who,
            f"an invite for {place}",
            len(mail) == 1 and methods(mail[0]) == [("REQUEST", place)],
            [methods(m) for m in mail],
        )
        found.expect(
            who,
            f"a seat on {session[place]}",
            desk.bookings(who[0]) == [(session[place], "confirmed")],
            desk.bookings(who[0]),
        )
    # A choice asked as a question is acted on; the confirmation says how to undo it.
    found.expect(EVA, "a confirmation", got.get(EVA[0]) == "confirmation", got.get(EVA[0]))
    if EVA[0] in got:
        found.expect(EVA, "how to undo it", "antwoorden" in text(to(sent, EVA[0])))
    found.check()


# -- 4. A change of mind ----------------------------------------------------------


def test_4_a_change_of_mind_in_reply_to_the_confirmation_moves_the_booking(desk: Desk) -> None:
    confirmations = booked(
        desk,
        {
            ANNA: "Graag optie 1.",
            BOB: "Option 1, one place please.",
            CAROL: "Graag optie 1.",
        },
        english=(BOB,),
    )
    first = {who: invites(confirmations[who[0]])[0] for who in (ANNA, BOB, CAROL)}
    assert {str(i["location"]) for i in first.values()} == {"Utrecht"}

    desk.answer(ANNA, "Ik heb me bedacht: toch liever de online sessie", confirmations[ANNA[0]])
    desk.answer(BOB, "Would it be possible to move me to 10 March instead?", confirmations[BOB[0]])
    desk.answer(CAROL, "option 2 please instead of option 1", confirmations[CAROL[0]])
    sent = desk.run()

    found = Findings(desk)
    got: dict[str, list[str]] = {}
    for address, kind in desk.kinds(sent):
        got.setdefault(address, []).append(kind)
    for who, place, sid in (
        (ANNA, "online", ONLINE),
        (BOB, "online", ONLINE),
        (CAROL, "Zwolle", ZWOLLE),
    ):
        # The new REQUEST and the old event's CANCEL, each the one calendar part
        # of its own message (RFC 6047), in that order.
        found.expect(
            who, "a 'moved' and a 'released' mail", got.get(who[0]) == ["moved", "released"],
            got.get(who[0]),
        )  # fmt: skip
        if got.get(who[0]) == ["moved", "released"]:
            mail = [m for m in sent if m["To"].addresses[0].addr_spec == who[0]]
            new, *withdrawn = [i for m in mail for i in invites(m)]
            found.expect(
                who,
                f"a new invite for {place} and the Utrecht one withdrawn",
                (new["method"], new["location"]) == ("REQUEST", place)
                and [(w["method"], w["uid"]) for w in withdrawn] == [("CANCEL", first[who]["uid"])],
                [methods(m) for m in mail],
            )
        found.expect(
            who,
            f"Utrecht given up for {sid}",
            desk.bookings(who[0]) == [(UTRECHT, "cancelled"), (sid, "confirmed")],
            desk.bookings(who[0]),
        )
    found.check()


def test_4_graag_toch_optie_1_after_a_cancellation_books_again(desk: Desk) -> None:
    confirmations = booked(desk, {DIRK: "Graag optie 1."})
    desk.answer(
        DIRK, "Helaas moet ik mijn aanmelding annuleren, ik kan er toch niet bij zijn.",
        confirmations[DIRK[0]],
    )  # fmt: skip
    [cancellation] = desk.run()
    assert desk.kinds([cancellation]) == [(DIRK[0], "cancellation")]
    assert methods(cancellation) == [("CANCEL", "Utrecht")]

    desk.answer(DIRK, "Graag toch optie 1", cancellation)
    sent = desk.run()
    assert desk.kinds(sent) == [(DIRK[0], "confirmation")], desk.read_as(DIRK[0])
    assert methods(sent[0]) == [("REQUEST", "Utrecht")]
    assert desk.bookings(DIRK[0]) == [(UTRECHT, "cancelled"), (UTRECHT, "confirmed")]
    lead = desk.lead(DIRK[0])
    assert lead is not None and lead["status"] == "booked"


# -- 5. Formal cancellations --------------------------------------------------------


def test_5_formal_cancellations_cancel_the_booking(desk: Desk) -> None:
    confirmations = booked(
        desk,
        {
            ANNA: "Graag optie 1.",
            TOM: "Option 3, one place please.",
            SOPHIE: "Graag optie 2, wij komen met 3 deelnemers.",
        },
        english=(TOM,),
    )
    desk.answer(
        ANNA,
        "Geachte heer Verstoep,\n\nDoor een reorganisatie binnen onze afdeling zie ik af van "
        "deelname aan de workshop.\n\nMet vriendelijke groet,\nAnna de Vries",
        confirmations[ANNA[0]],
    )
    desk.answer(
        TOM,
        "Dear Gertjan,\n\nI am sorry, but I have to withdraw from the 10 March session.\n\n"
        "Best wishes,\nTom",
        confirmations[TOM[0]],
    )
    desk.answer(
        SOPHIE,
        "Beste Gertjan,\n\nOns opleidingsbudget voor dit jaar is helaas geschrapt. Daarom "
        "trekken wij ons met z'n drieën terug uit de workshop van 4 februari.\n\n"
        "Met vriendelijke groet,\nSophie Meijer",
        confirmations[SOPHIE[0]],
    )
    sent = desk.run()

    found = Findings(desk)
    got = dict(desk.kinds(sent))
    for who, place, sid in (
        (ANNA, "Utrecht", UTRECHT),
        (TOM, "online", ONLINE),
        (SOPHIE, "Zwolle", ZWOLLE),
    ):
        found.expect(who, "a cancellation", got.get(who[0]) == "cancellation", got.get(who[0]))
        found.expect(
            who,
            f"the {place} invite withdrawn",
            who[0] in got and methods(to(sent, who[0])) == [("CANCEL", place)],
        )
        found.expect(
            who, "the booking cancelled", desk.bookings(who[0]) == [(sid, "cancelled")],
            desk.bookings(who[0]),
        )  # fmt: skip
    found.check()


# -- 6. Spam, and GDPR requests -----------------------------------------------------

SPAM = [
    (
        ("renewals@domain-registry-services.net", "Domain Registry Services"),
        "Laatste herinnering: domeinnaam verstoep-advies.nl verloopt",
        "Geachte domeinhouder,\n\nUw domeinnaam verstoep-advies.nl verloopt binnen 48 uur. "
        "Betaal de bijgevoegde factuur van € 89,00 via https://domain-renew-secure.example/pay "
        "om verlies van uw domeinnaam en e-mail te voorkomen.\n\nDomain Registry Services",
    ),
    (
        ("administratie@bedrijvenregister-nl.example", "Nederlands Bedrijvenregister"),
        "Openstaande factuur 2026-11873",
        "Geachte relatie,\n\nVolgens onze administratie staat factuur 2026-11873 voor uw "
        "vermelding in het Nederlands Bedrijvenregister nog open. Wij verzoeken u het bedrag "
        "van € 1.195,00 binnen 7 dagen over te maken op IBAN NL00 BANK 0123 4567 89, om "
        "incassokosten te voorkomen.\n\nAfdeling debiteuren",
    ),
    (
        ("no-reply@microsoft365-mailbox.example", "Microsoft 365"),
        "Your mailbox password expires today",
        "Your Microsoft 365 password for gertjan.verstoep@gmail.com expires today.\n\n"
        "Keep your current password: https://login-microsoftonline.example/keep\n\n"
        "If you do not confirm within 24 hours, your mailbox will be suspended.",
    ),
    (
        ("klantenservice@ing-betaalpas.example", "ING"),
        "Uw betaalpas wordt geblokkeerd",
        "Geachte klant,\n\nUw betaalpas verloopt binnenkort. Om blokkering te voorkomen moet u "
        "uw gegevens vandaag nog verifiëren via de volgende link: "
        "https://ing-verificatie.example/pas\n\nMet vriendelijke groet,\nING Klantenservice",
    ),
    (
        ("rahul.seo.expert@gmail.com", "Rahul Sharma"),
        "Your website is not on the first page of Google",
        "Hello,\n\nI was checking your website and noticed it is not ranking on the first page "
        "of Google for important keywords. We can get you to the #1 position within 30 days "
        "with our SEO package at a very affordable price.\n\nShall I send you a free audit?",
    ),
    (
        ("reviews.boost@gmail.com", "Review Boost"),
        "More 5-star reviews for your business",
        "Hi there,\n\nWe offer genuine-looking 5-star Google reviews for your business: 50 "
        "reviews for only $99, delivered within a week, no questions asked.\n\nReply YES to "
        "start today.",
    ),
    (
        ("sales@overheidsadressen.example", "Overheidsadressen"),
        "Bereik 12.000 ambtenaren met uw aanbod",
        "Goedemiddag,\n\nWij bieden een actueel bestand met 12.000 e-mailadressen van "
        "beleidsmedewerkers en ambtenaren bij gemeenten, provincies en waterschappen. Ideaal "
        "om uw workshops onder de aandacht te brengen. Nu voor slechts € 495 excl. btw.\n\n"
        "Met vriendelijke groet,\nSales",
    ),
    (
        ("crypto.returns@gmail.com", "Daniel"),
        "Passive income opportunity",
        "Hello friend,\n\nOur Bitcoin trading bot earns 30% profit every week, guaranteed. "
        "Start with only 250 euro in crypto and withdraw anytime. Join thousands of happy "
        "investors today.\n\nDaniel",
    ),
    (
        ("barrister.williams@gmail.com", "Barrister John Williams"),
        "Urgent and confidential",
        "Dear Friend,\n\nI am Barrister John Williams, personal attorney to the late Mr. "
        "Verstoep who died in a car accident. He left a deposit of US$12,500,000 with no next "
        "of kin. I seek your consent to present you as the beneficiary. Reply with your full "
        "name and bank details.\n\nBarrister John Williams",
    ),
    (
        ("mr.richard.cole@gmail.com", "Richard Cole"),
        "Group registration for 25 participants",
        "Hello,\n\nI want to register 25 participants from our company for your workshop. I "
        "will send a cheque of $15,000 for the fees. As our travel agent also needs to be paid, "
        "please refund the balance to the agent by Western Union once the cheque arrives.\n\n"
        "Regards,\nRichard Cole",
    ),
]


def test_6_spam_gets_no_offer_and_gdpr_requests_unsubscribe(desk: Desk) -> None:
    for sender, subject, body in SPAM:
        desk.new(sender, subject, body)
    for who in (GRACE, TOM):
        desk.imap.deliver(mailfactory.inquiry_en(desk.next_n(), sender=who[0]))
    sent = desk.run()

    found = Findings(desk)
    got = dict(desk.kinds(sent))
    for sender, _, _ in SPAM:
        found.expect(sender, "no answer", sender[0] not in got, got.get(sender[0]))
        found.expect(sender, "no lead", desk.lead(sender[0]) is None, desk.lead(sender[0]))
    assert got[GRACE[0]] == got[TOM[0]] == "inquiry"
    desk.answer(
        GRACE,
        "Under Article 17 of the GDPR I request the erasure of all personal data you hold "
        "about me.",
        to(sent, GRACE[0]),
    )
    desk.answer(
        TOM,
        "I object to the processing of my personal data for direct marketing (Article 21 "
        "GDPR). Please stop emailing me.",
        to(sent, TOM[0]),
    )
    sent = desk.run()
    for who in (GRACE, TOM):
        lead = desk.lead(who[0])
        found.expect(
            who,
            "unsubscribed",
            bool(lead and lead["opted_out"] and lead["status"] == "unsubscribed"),
            lead and (lead["status"], lead["opted_out"]),
        )
    found.expect(GRACE, "nothing sent", sent == [], desk.kinds(sent))
    found.check()


# -- 7. Numbers read against the person's last offer ---------------------------------


def test_7_a_number_in_a_new_mail_means_the_persons_last_offer(
    make_desk: Callable[..., Desk],
) -> None:
    desk = make_desk(utrecht_capacity=2)
    offered = offers(desk, ANNA, BOB)  # 1 Utrecht, 2 Zwolle, 3 online
    assert "Zwolle" in next(
        line for line in text(offered[ANNA[0]]).splitlines() if line.startswith("Optie 2:")
    )
    desk.answer(BOB, "Graag optie 1, wij komen met z'n tweeën.", offered[BOB[0]])
    desk.run()  # Utrecht is full: today's offer is 1 Zwolle, 2 online
    [today] = offers(desk, CAROL).values()
    assert "online" in next(
        line for line in text(today).splitlines() if line.startswith("Optie 2:")
    )

    # Not a reply: a new mail from each, with only a number.
    desk.new(ANNA, "Aanmelding workshop", "ik kies optie 2")
    desk.new(CAROL, "Aanmelding workshop", "ik kies optie 2")
    sent = desk.run()
    assert desk.kinds(sent) == [(ANNA[0], "confirmation"), (CAROL[0], "confirmation")]
    assert methods(to(sent, ANNA[0])) == [("REQUEST", "Zwolle")]
    assert methods(to(sent, CAROL[0])) == [("REQUEST", "online")]
    assert desk.bookings(ANNA[0]) == [(ZWOLLE, "confirmed")]
    assert desk.bookings(CAROL[0]) == [(ONLINE, "confirmed")]
    assert any(r.startswith("context:offer#") for r in desk.read_as(ANNA[0])[-1].split(", "))


# -- 8. Only the person who asked ------------------------------------------------------


def test_8_a_forward_from_an_outsider_cancels_and_unsubscribes_nobody(desk: Desk) -> None:
    booked(desk, {ALICE: "Graag optie 1.", BOB: "Graag optie 2.", CAROL: "Graag optie 3."})
    desk.imap.deliver(
        mailfactory.forward(
            MALLORY, ALICE, "afmelding", "Zie hieronder.",
            "Hoi,\n\nik wil mijn inschrijving annuleren.\n\nAlice", desk.next_n(), to=ORGANISER,
        )
    )  # fmt: skip
    desk.imap.deliver(
        mailfactory.forward(
            MALLORY, BOB, "uitschrijven", "Graag regelen.",
            "Meld mij af voor alle mail, ik wil niets meer ontvangen.\n\nBob", desk.next_n(),
            to=ORGANISER,
        )
    )  # fmt: skip
    # Not even the organiser's own secretariat: a forward never takes a seat away.
    desk.imap.deliver(
        mailfactory.forward(
            SECRETARIAAT, CAROL, "afmelding", "Ter info.",
            "Hoi,\n\nik wil mijn inschrijving annuleren.\n\nCarol", desk.next_n(), to=ORGANISER,
        )
    )  # fmt: skip
    sent = desk.run()
    assert sent == []
    assert desk.bookings(ALICE[0]) == [(UTRECHT, "confirmed")]
    assert desk.bookings(BOB[0]) == [(ZWOLLE, "confirmed")]
    assert desk.bookings(CAROL[0]) == [(ONLINE, "confirmed")]
    for who in (ALICE, BOB):
        lead = desk.lead(who[0])
        assert lead is not None and (lead["status"], lead["opted_out"]) == ("booked", 0)
    lead = desk.lead(MALLORY[0])
    assert lead is not None and lead["status"] == "needs_attention"
    reasons = desk.attention(MALLORY[0])
    assert len(reasons) == 2, desk.notes(MALLORY[0])
    assert f"for {ALICE[0]} by {MALLORY[0]}" in reasons[0]
    assert f"for {BOB[0]} by {MALLORY[0]}" in reasons[1]
    # The secretariat forwards for Carol: she is the lead, and a person acts on it.
    carol = desk.lead(CAROL[0])
    assert carol is not None and carol["status"] == "needs_attention"
    [reason] = desk.attention(CAROL[0])
    assert f"forwarded cancellation for {CAROL[0]} by a colleague" in reason
    assert desk.lead(SECRETARIAAT[0]) is None


def test_8_a_forged_sender_is_asked_to_confirm_and_nothing_changes(desk: Desk) -> None:
    confirmations = booked(
        desk,
        {ALICE: "Graag optie 1.", BOB: "Graag optie 1.", CAROL: "Graag optie 1.",
         GRACE: "Graag optie 2.", HENK: "Graag optie 3.", SOPHIE: "Graag optie 2."},
    )  # fmt: skip
    # Forged From: alice, and the organiser's server says so.
    desk.new(
        ALICE, "Afmelding", "ik wil mijn inschrijving annuleren", (verdict(DMARC_FAIL, ALICE),)
    )
    desk.new(CAROL, "Verplaatsen", "Graag verplaatsen naar optie 3.", (verdict(DMARC_FAIL, CAROL),))
    desk.new(
        SOPHIE, "Uitschrijven", "Meld mij af voor alle mail, ik wil niets meer ontvangen.",
        (verdict(DMARC_FAIL, SOPHIE),),
    )  # fmt: skip
    # A pass the forger wrote in, under the server's own fail.
    desk.new(BOB, "Afmelding", "ik wil mijn inschrijving annuleren",
             (verdict(DMARC_FAIL, BOB), FORGED_PASS))  # fmt: skip
    # The real Grace, vouched for by the organiser's server: acted on.
    desk.new(
        GRACE, "Afmelding", "ik wil mijn inschrijving annuleren", (verdict(DMARC_PASS, GRACE),)
    )
    # Henk's colleague answers his confirmation: not hers to cancel.
    desk.answer(PETRA, "Henk kan helaas niet komen, graag zijn aanmelding annuleren.",
                confirmations[HENK[0]])  # fmt: skip
    sent = desk.run()

    assert desk.kinds(sent) == sorted(
        [
            (ALICE[0], "confirm"),
            (BOB[0], "confirm"),
            (CAROL[0], "confirm"),
            (GRACE[0], "cancellation"),
            (SOPHIE[0], "confirm"),
        ]
    ), {w[0]: desk.read_as(w[0])[-1] for w in (ALICE, BOB, CAROL, GRACE, SOPHIE)}
    assert "echt van jou komt" in text(to(sent, ALICE[0]))
    assert "verplaatsen" in text(to(sent, CAROL[0]))
    assert "uit te schrijven" in text(to(sent, SOPHIE[0]))
    sophie = desk.lead(SOPHIE[0])
    assert sophie is not None and (sophie["status"], sophie["opted_out"]) == ("booked", 0)
    assert invites(to(sent, ALICE[0])) == [] and invites(to(sent, CAROL[0])) == []
    held = ((ALICE, UTRECHT), (BOB, UTRECHT), (CAROL, UTRECHT), (HENK, ONLINE), (SOPHIE, ZWOLLE))
    for who, sid in held:
        assert desk.bookings(who[0]) == [(sid, "confirmed")], who
    assert desk.bookings(GRACE[0]) == [(ZWOLLE, "cancelled")]
    assert methods(to(sent, GRACE[0])) == [("CANCEL", "Zwolle")]
    henk = desk.lead(HENK[0])
    assert henk is not None and henk["status"] == "needs_attention"
    [reason] = desk.attention(HENK[0])
    assert PETRA[0] in reason and "only they may change their booking" in reason
    assert desk.lead(PETRA[0]) is None

    # Alice confirms by answering our question: now it is her, and it is done.
    desk.answer(ALICE, "Ja, dat klopt, graag annuleren.", to(sent, ALICE[0]))
    [done] = desk.run()
    assert desk.kinds([done]) == [(ALICE[0], "cancellation")]
    assert desk.bookings(ALICE[0]) == [(UTRECHT, "cancelled")]


def test_8_a_made_up_bounce_does_not_silence_anyone(desk: Desk) -> None:
    gone = ("oud.account.verstoep@gmail.com", "Oud Account")
    offered = offers(desk, ALICE, gone)
    # A DSN naming Alice that answers none of our messages.
    desk.imap.deliver(mailfactory.bounce(ALICE[0], to=ORGANISER))
    # A real one: our offer to the old account came back.
    desk.imap.deliver(
        mailfactory.bounce(gone[0], to=ORGANISER, returned=offered[gone[0]].as_bytes())
    )
    desk.answer(ALICE, "Graag optie 2.", offered[ALICE[0]])
    sent = desk.run()

    lead = desk.lead(gone[0])
    assert lead is not None and lead["status"] == "undeliverable"
    marked = [
        json.loads(r["detail"])["address"]
        for r in desk.db["events"].rows_where("kind = 'undeliverable'")
    ]
    assert marked == [gone[0]]
    alice = desk.lead(ALICE[0])
    assert alice is not None and alice["status"] == "booked"
    assert desk.kinds(sent) == [(ALICE[0], "confirmation")], desk.notes(ALICE[0])
    assert desk.bookings(ALICE[0]) == [(ZWOLLE, "confirmed")]


def test_8_a_forward_is_answered_to_the_forwarder_unless_a_colleague_forwards(desk: Desk) -> None:
    desk.imap.deliver(
        mailfactory.forward(
            EVA, FEMKE, "Vraag over de workshop",
            "Hoi Gertjan, mijn collega Femke vroeg hiernaar. Kun je de informatie naar mij "
            "sturen? Dan verspreid ik het intern.",
            "Hallo,\n\nIk heb interesse in de workshop. Wanneer zijn de volgende data?\n\nFemke",
            desk.next_n(), to=ORGANISER,
        )
    )  # fmt: skip
    # The organiser's own secretariat forwards what reached them: that is Marieke's question.
    desk.imap.deliver(
        mailfactory.forward(
            SECRETARIAAT, MARIEKE, "Workshop", "Ter afhandeling.",
            "Goedemorgen,\n\nIk heb interesse in de workshop. Wanneer zijn de volgende data?"
            "\n\nMarieke Jansen",
            desk.next_n(), to=ORGANISER,
        )
    )  # fmt: skip
    sent = desk.run()
    assert desk.kinds(sent) == sorted([(EVA[0], "inquiry"), (MARIEKE[0], "inquiry")])
    assert desk.lead(FEMKE[0]) is None and desk.lead(SECRETARIAAT[0]) is None
    for who in (EVA, MARIEKE):
        lead = desk.lead(who[0])
        assert lead is not None and lead["status"] == "offered"


# -- 9. Our own words never act -------------------------------------------------------

LIST = ("workshopgroep@googlegroups.com", "Workshopgroep")


def reflected(ours: EmailMessage) -> bytes:
    """Our mail as a mailing list sends it on: same Message-ID, From rewritten,
    Auto-Submitted and the other marks of an automatic reply stripped."""
    msg = copy.deepcopy(ours)
    for name in ("From", "To", "Auto-Submitted", "X-Auto-Response-Suppress", "Precedence"):
        del msg[name]
    msg["From"] = f"'Gertjan Verstoep' via {LIST[1]} <{LIST[0]}>"
    msg["To"] = f"{LIST[1]} <{LIST[0]}>"
    msg["Reply-To"] = f"Gertjan Verstoep <{ORGANISER}>"
    return msg.as_bytes()


def test_9_our_own_words_book_nothing(desk: Desk) -> None:
    people = (ANNA, BOB, CAROL, DIRK)
    offered = offers(desk, *people)
    assert "Optie 1, 2 deelnemers" in text(offered[ANNA[0]])  # the template's example
    desk.imap.deliver(reflected(offered[ANNA[0]]))
    thanks = "Dank je, ik overleg het even met mijn team"
    for who, quoting in ((BOB, "bar"), (CAROL, "notes"), (DIRK, "pasted")):
        desk.answer(who, thanks, offered[who[0]], quoting=quoting)
    sent = desk.run()

    assert desk.read_as(LIST[0]) == ["other: ours:message-id"]
    assert desk.lead(LIST[0]) is None
    found = Findings(desk)
    found.expect(ANNA, "nothing sent", sent == [], desk.kinds(sent))
    for who in people:
        found.expect(who, "no booking", desk.bookings(who[0]) == [], desk.bookings(who[0]))
        lead = desk.lead(who[0])
        found.expect(
            who,
            "still offered, or for a person to read",
            bool(lead and lead["status"] in ("offered", "needs_attention")),
            lead and lead["status"],
        )
    found.check()


# -- 10. A dry run eats no mail -------------------------------------------------------


def cli_run(desk: Desk, *args: str) -> str:
    result = CliRunner().invoke(
        cli,
        ["--config", str(desk.config_path), *args],
        env={"TEST_IMAP_PASSWORD": desk.imap.password},
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    return result.stderr


def test_10_a_dry_run_then_the_real_poll_answers_once(desk: Desk) -> None:
    desk.new(ANNA, "Workshop", "Ik heb interesse in de workshop. Wanneer zijn de volgende data?")
    assert "nothing stored or sent" in cli_run(desk, "poll", "--dry-run")
    assert desk.smtp.messages == []
    assert desk.db["leads"].count == 0
    cli_run(desk, "poll")
    [offer] = desk.collect()
    assert offer["To"].addresses[0].addr_spec == ANNA[0]
    cli_run(desk, "poll")
    assert len(desk.smtp.messages) == 1

    desk.answer(ANNA, "Graag optie 2.", offer)
    cli_run(desk, "poll")
    assert "nothing stored or sent" in cli_run(desk, "remind", "--days", "40000", "--dry-run")
    assert len(desk.smtp.messages) == 2  # the offer and the confirmation
    cli_run(desk, "remind", "--days", "40000")
    cli_run(desk, "remind", "--days", "40000")
    assert [list(m.rcpt_tos) for m in desk.smtp.messages] == [[ANNA[0]]] * 3
    assert [r["kind"] for r in desk.db["replies"].rows_where(order_by="id")] == [
        "inquiry", "confirmation", "reminder",
    ]  # fmt: skip


# -- 11. The organiser is told --------------------------------------------------------


def test_11_business_questions_go_to_the_organiser_not_the_offer(desk: Desk) -> None:
    offered = offers(desk, PIET, SOPHIE)
    desk.new(
        FEMKE,
        "Workshop in-company",
        "Goedemiddag,\n\nWij willen de workshop graag in-company laten verzorgen voor 15 "
        "medewerkers van onze afdeling. Kunt u aangeven wat dat kost?\n\nFemke Dekker",
    )
    desk.new(
        EVA,
        "Korting?",
        "Hallo,\n\nIk heb interesse in de workshop. Krijgen we korting als we met vijf collega's "
        "komen?\n\nEva",
    )
    desk.answer(
        PIET,
        "Graag optie 1 voor 2 personen. Ons inkoopordernummer is PO-2026-4471; dat moet op de "
        "factuur staan, anders wordt hij niet betaald.",
        offered[PIET[0]],
    )
    desk.answer(SOPHIE, "Graag optie 1 met 20 deelnemers.", offered[SOPHIE[0]])
    sent = desk.run()

    found = Findings(desk)
    # Nothing automatic, except the short note that the organiser will answer a
    # head count the session cannot take (issue 14: group sizes).
    found.expect(
        FEMKE,
        "only the group-size note sent",
        desk.kinds(sent) == [(SOPHIE[0], "group_size")],
        desk.kinds(sent),
    )
    for who, reason in (
        (FEMKE, r"in-company|in company"),
        (EVA, r"price|discount|korting"),
        (PIET, r"invoice|factuur|purchase|inkooporder"),
        (SOPHIE, r"20 places asked on utrecht, which has 16 in all"),
    ):
        lead = desk.lead(who[0])
        found.expect(
            who, "needs_attention", bool(lead and lead["status"] == "needs_attention"),
            lead and lead["status"],
        )  # fmt: skip
        reasons = desk.attention(who[0])
        found.expect(
            who, f"a reason matching {reason!r}",
            any(re.search(reason, r) for r in reasons), reasons,
        )  # fmt: skip
        found.expect(who, "no booking", desk.bookings(who[0]) == [], desk.bookings(who[0]))
    found.check()


def test_11_the_poll_summary_says_how_many_need_a_person(desk: Desk) -> None:
    offered = offers(desk, SOPHIE)
    desk.answer(SOPHIE, "Graag optie 1 met 20 deelnemers.", offered[SOPHIE[0]])
    summary = cli_run(desk, "poll").splitlines()[-1]
    assert summary.endswith("1 needs you: inbox-worker leads list --status needs_attention")
