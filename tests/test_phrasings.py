"""How people phrase a choice, a change of mind, a cancellation and an unsubscribe.

Written from how Dutch civil servants and English-speaking participants write,
not from the corpus: short and long, formal and informal, with near-misses that
must not book, move, cancel or unsubscribe anything. Each body is a reply to our
offer of the three sessions of tests/decisions.py (1 Utrecht 12 January, 2 Zwolle
4 February, 3 online 10 March). A wrong action is worse than a miss: what the
reading leaves open goes to the organiser.
"""

from __future__ import annotations

import pytest

from inbox_worker.reading.classify import Category, classify
from inbox_worker.reading.extract import extract
from tests.corpus import OFFERED

CHOICE, CANCEL, UNSUB = Category.DATE_CHOICE, Category.CANCELLATION, Category.UNSUBSCRIBE


def _read(body: str) -> tuple[Category, int | None, tuple[str, ...]]:
    from inbox_worker.reading.message import parse

    raw = (
        "From: Anna Smit <anna@example.nl>\nTo: workshops@antwoordvooroverheden.nl\n"
        "Subject: Re: Workshop Co-creëren met de samenleving\n"
        "In-Reply-To: <inbox-worker.offer-1@antwoordvooroverheden.nl>\n"
        "Content-Type: text/plain; charset=utf-8\n\n" + body + "\n\nGroet,\nAnna Smit\n"
    ).encode()
    msg = parse(raw)
    result = classify(msg, OFFERED)
    facts = extract(msg, OFFERED, result)
    return result.category, facts.option, result.reasons


CHOICES = [
    # Dutch, formal
    ("Graag schrijf ik mij in voor de sessie van 4 februari.", 2),
    ("Zou u mij kunnen inschrijven voor de sessie van 4 februari?", 2),
    ("Hierbij meld ik mij aan voor de workshop op 12 januari in Utrecht.", 1),
    ("Namens onze afdeling willen wij twee medewerkers inschrijven voor 4 februari.", 2),
    ("Kunt u mij noteren voor de sessie in Zwolle?", 2),
    ("Graag ontvang ik een uitnodiging voor de online sessie van 10 maart.", 3),
    ("Bij dezen wil ik mij aanmelden voor optie 3.", 3),
    (
        "Geachte heer Verstoep,\n\nNaar aanleiding van uw e-mail wil ik mij graag "
        "aanmelden voor de bijeenkomst van dinsdag 12 januari in Utrecht. Ik werk als "
        "beleidsadviseur participatie bij de gemeente Amersfoort.",
        1,
    ),
    # Dutch, informal and short
    ("Optie 2 graag, voor 1 persoon.", 2),
    ("Wij komen graag met z'n tweeën op 10 maart.", 3),
    ("Doe mij maar Utrecht.", 1),
    ("Ik kies voor de online sessie.", 3),
    ("Graag een plekje op 12 januari.", 1),
    ("Mag ik komen op donderdag 4 februari?", 2),
    ("De eerste optie past mij het best.", 1),
    ("Reserveer maar een plek voor mij in Zwolle.", 2),
    ("Ik sluit graag aan op 10 maart.", 3),
    ("Ja, 12 januari is goed!", 1),
    ("Top, dan wordt het de derde.", 3),
    ("Optie 1 lijkt me prima.", 1),
    ("Zwolle!", 2),
    ("3 graag", 3),
    ("Ik ga voor 4 februari.", 2),
    # English
    ("Please book me on the 10 March session.", 3),
    ("Count me in for Thursday.", 2),
    ("I'd like to register for the Utrecht workshop.", 1),
    ("Option 2 for me, please.", 2),
    ("I'll take the online one.", 3),
    ("Could you reserve a seat for me on 12 January?", 1),
    ("We would like to sign up two people for 4 February.", 2),
    ("The first date suits me best.", 1),
    ("Sign me up for March 10.", 3),
    ("Yes please, 4 Feb.", 2),
    (
        "Dear Mr Verstoep,\n\nThank you for your message. I would be grateful if you could "
        "register me for the session on 12 January in Utrecht.",
        1,
    ),
    ("Online works best for me.", 3),
    ("Ik wil graag deelnemen aan de sessie in Zwolle.", 2),
    ("Wij willen ons graag met drie personen aanmelden voor 10 maart.", 3),
    ("Is het mogelijk om mij aan te melden voor de workshop van 12 januari?", 1),
    ("Graag zou ik deelnemen op 4 februari.", 2),
    ("Voor mij wordt het Zwolle.", 2),
    ("Mijn voorkeur gaat uit naar de online variant.", 3),
    ("Ik schrijf me in voor dinsdag.", 1),
    ("Hierbij bevestig ik mijn deelname aan de sessie van 10 maart.", 3),
    ("Graag bevestig ik hierbij mijn aanmelding voor 12 januari.", 1),
    ("I would like to attend the session on 4 February.", 2),
    ("Can you book two places for us on the online session?", 3),
    ("March 10 please!", 3),
    ("Tuesday suits us.", 1),
    ("I'd prefer Zwolle.", 2),
    ("Let's go with option 1.", 1),
    ("Please register my colleague and me for 12 January.", 1),
    ("I confirm my participation in the 10 March session.", 3),
    ("Put me down for the Zwolle date please.", 2),
]

MOVES = [
    ("Kan ik mijn plek omzetten naar maart?", 3),
    ("Kan ik mijn plek overdragen naar de sessie van 10 maart?", 3),
    ("Ik wil graag overstappen naar de online sessie.", 3),
    ("Is het mogelijk mijn inschrijving te verplaatsen naar 4 februari?", 2),
    ("Ik sta voor 12 januari ingeschreven maar wil liever op 10 maart komen.", 3),
    ("Graag verplaatsen van Utrecht naar Zwolle.", 2),
    ("Toch liever 4 februari, als dat kan.", 2),
    ("Sorry, ik heb me vergist: ik bedoelde optie 3 in plaats van optie 1.", 3),
    ("Zou u mijn aanmelding kunnen wijzigen naar de sessie in Zwolle?", 2),
    ("I'd like to switch to the online one.", 3),
    ("Can I move to the February session instead?", 2),
    ("Could you transfer my booking to 10 March?", 3),
    ("Change of plans: please put me on the Zwolle date instead of Utrecht.", 2),
    ("Would it be possible to reschedule me to 4 February?", 2),
    ("Mag ik van 12 januari naar 4 februari?", 2),
    ("Kunnen jullie mij omboeken naar de online sessie?", 3),
    ("Please move my booking from Zwolle to the online session.", 3),
    ("Ik zou toch liever op 10 maart komen in plaats van 4 februari.", 3),
    ("Is a swap to the March date still possible?", 3),
    ("Ik heb mijn vakantie geannuleerd, dus nu kan ik wel op 12 januari.", 1),
]

CANCELLATIONS = [
    # Dutch
    ("Hierbij wil ik mij afmelden voor de workshop van 4 februari.", 2),
    ("Helaas moet ik mijn deelname annuleren.", None),
    ("Ik zie af van deelname.", None),
    ("Wij trekken onze aanmelding in.", None),
    ("Ik moet helaas afzeggen voor 12 januari.", 1),
    ("Door ziekte kan ik niet aanwezig zijn op 10 maart.", 3),
    ("Mijn inschrijving mag vervallen.", None),
    ("Wilt u mijn aanmelding voor 4 februari annuleren?", 2),
    ("Graag mijn reservering annuleren.", None),
    ("Ik kom toch niet, sorry!", None),
    ("Vanwege omstandigheden moet ik op 12 januari helaas verstek laten gaan.", 1),
    ("Helaas, het lukt me niet om op 4 februari aanwezig te zijn.", 2),
    ("Wij kunnen helaas niet deelnemen; ons budget is geschrapt.", None),
    ("Mijn plaats mag naar iemand van de wachtlijst.", None),
    ("Ik meld mij af voor de training.", None),
    ("Hierbij annuleer ik mijn inschrijving.", None),
    ("Door een reorganisatie komt onze deelname te vervallen.", None),
    ("Helaas kan ik er op 10 maart toch niet bij zijn.", 3),
    ("Wilt u mij uitschrijven voor de sessie van 12 januari?", 1),
    ("Wegens ziekte meld ik mij af voor 4 februari.", 2),
    ("Ik moet mijn aanmelding voor de workshop helaas annuleren.", None),
    ("Helaas moeten wij onze deelname aan de sessie van 12 januari afzeggen.", 1),
    ("Excuses, maar ik kan er toch niet bij zijn.", None),
    ("Onze twee aanmeldingen voor 10 maart komen te vervallen.", 3),
    ("Helaas, ik zit die dag in het buitenland dus ik kan niet komen.", None),
    # English
    ("I'm afraid I have to cancel.", None),
    ("Unfortunately I can no longer attend on 10 March.", 3),
    ("Please cancel my registration for the Zwolle session.", 2),
    ("Something has come up and I won't be able to make it on Thursday.", 2),
    ("We have to withdraw our two participants.", None),
    ("Sorry, I need to pull out of the 12 January session.", 1),
    ("Please release my seat so someone else can have it.", None),
    ("I regret to inform you that I will be unable to attend.", None),
    ("Due to illness I must cancel my attendance.", None),
    ("I won't be attending after all.", None),
    ("Please withdraw my registration.", None),
    ("Sadly we need to cancel our places for the 4 February session.", 2),
    ("I'm sorry but I'll have to give my place to someone else.", None),
    ("Please take me off the list for the 4 February session.", 2),
]

UNSUBSCRIBES = [
    "Please remove me from your mailing list.",
    "Ik wil graag geen mails meer ontvangen over deze workshop.",
    "Uitschrijven graag.",
    "Wilt u mij uit uw mailingbestand verwijderen?",
    "Hierbij meld ik mij af voor uw nieuwsbrief en verdere mailings.",
    "I no longer wish to receive emails from you.",
    "Please take me off your list.",
    "Ik wil niet langer benaderd worden.",
    "Unsubscribe",
    "Please don't email me again.",
    "Graag mijn e-mailadres verwijderen uit uw bestand.",
    "Stuur mij alstublieft geen e-mails meer.",
    "Wilt u stoppen met het sturen van deze mails?",
    "Ik ontvang graag geen berichten meer van u.",
    "Verwijder mij alstublieft uit jullie mailinglijst.",
    "Please unsubscribe me.",
    "I do not wish to be contacted again.",
    "Opt me out of your mailings please.",
    "Geen interesse, graag van de lijst halen.",
    "Kindly stop contacting me.",
]

# (body, categories it may be read as); none of them books, moves, cancels or opts out.
NEAR_MISSES = [
    # questions about a session, without asking to join
    "Hoe laat begint de sessie van 4 februari?",
    "Is de sessie in Zwolle goed bereikbaar met het OV?",
    "Wie geeft de online sessie op 10 maart?",
    "Are there still places on 4 February?",
    "Kunt u mij laten weten of er op 10 maart nog plek is?",
    "Is the 10 March session recorded?",
    "Ik weet nog niet of ik op 4 februari kan.",
    # a date in a story, a place as an employer or a name
    "Vorig jaar was ik op 12 januari ook bij een training van jullie.",
    "Ik werk bij de gemeente Utrecht en heb een vraag: is er parkeergelegenheid?",
    "Ik heb de uitnodiging doorgestuurd naar mijn collega Maartje.",
    "I booked the train for 12 January already, so that is sorted.",
    "Ik ben donderdag niet op kantoor, bel me vrijdag maar.",
    "Sorry, ik kan morgen niet bellen, wel op vrijdag.",
    "Our office is closed on Thursday 4 February.",
    "Ik stuur de factuur op 12 januari.",
    "Gaat de sessie van 4 februari door?",
    "Kan ik me nog afmelden voor 4 februari als ik ziek word?",
    "Mijn collega Anne heeft zich al aangemeld voor 12 januari.",
    "Zwolle is voor ons eigenlijk te ver weg.",
    "Ik bel u op 4 februari even over de kosten.",
    "My manager is in Utrecht on 12 January, so she will sign the form then.",
    # already done, or thanks
    "We already booked for 4 February, thanks.",
    "Hartelijk dank voor de bevestiging van 12 januari!",
    "Thanks for confirming my place on 4 February, see you then!",
    # a cancellation of something else
    "Please cancel the invoice and send a new one with our PO number.",
    "We moeten de vergadering van donderdag afzeggen, dus ik bel je later.",
    "Kunt u de factuur annuleren? Er staat een fout adres op.",
    "De trein werd geannuleerd, dus ik was te laat voor de vergadering.",
    "Our team meeting on Thursday got cancelled, so I finally had time to read your mail.",
    # asking about cancelling, not doing it
    "Wat zijn de annuleringsvoorwaarden?",
    "What happens if I need to cancel later?",
    "Als ik moet afzeggen, krijg ik dan mijn geld terug?",
    "Kan ik mijn plek overdragen aan een collega?",
    # undoing an unsubscribe
    "I accidentally clicked unsubscribe, please keep me on the list.",
    "Ik heb me per ongeluk uitgeschreven, wilt u mij weer op de lijst zetten?",
]

# Read as a cancellation of what they hold (nothing, after an offer): never a booking.
DECLINES = [
    ("I can't make the 12th but maybe another time.", 1),
    ("Ik kan niet op 12 januari, misschien een volgende keer.", 1),
]


@pytest.mark.parametrize(("body", "option"), CHOICES)
def test_choices(body: str, option: int) -> None:
    category, picked, reasons = _read(body)
    assert (category, picked) == (CHOICE, option), reasons


@pytest.mark.parametrize(("body", "option"), MOVES)
def test_changes_of_mind(body: str, option: int) -> None:
    category, picked, reasons = _read(body)
    assert (category, picked) == (CHOICE, option), reasons


@pytest.mark.parametrize(("body", "option"), CANCELLATIONS)
def test_cancellations(body: str, option: int | None) -> None:
    category, picked, reasons = _read(body)
    assert (category, picked) == (CANCEL, option), reasons


@pytest.mark.parametrize("body", UNSUBSCRIBES)
def test_unsubscribes(body: str) -> None:
    category, _, reasons = _read(body)
    assert category is UNSUB, reasons


@pytest.mark.parametrize("body", NEAR_MISSES)
def test_near_misses_act_on_nothing(body: str) -> None:
    category, picked, reasons = _read(body)
    assert category not in (CANCEL, UNSUB), reasons
    assert not (category is CHOICE and picked is not None), reasons


@pytest.mark.parametrize(("body", "option"), DECLINES)
def test_a_decline_books_nothing(body: str, option: int) -> None:
    category, picked, reasons = _read(body)
    assert (category, picked) == (CANCEL, option), reasons
