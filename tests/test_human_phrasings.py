"""How people really write to the organiser, read as a pass reads it (issue 12).

Messages written for these tests from scratch (not taken from any corpus), Dutch
and English, formal and informal, phone-short and long: first inquiries in many
words, inquiries with a question only the organiser can answer, mail that needs no
answer, spam that reaches the inbox and near-misses that are not spam. Each is
decided end to end (read + decide, as tests/decisions.py stands in for the
database) and must land where the organiser would put it. Precision first: an
offer to a spammer or to someone whose question needs a person is a wrong action,
and a person is never taken for machine mail.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from hashlib import md5

import pytest

from inbox_worker.deciding.conversation import read
from inbox_worker.deciding.workflow import decide
from inbox_worker.reading.classify import Category
from tests.corpus import AMS, SESSIONS
from tests.decisions import (
    POLICY,
    _situation,
    _thread_as_stored,
    action_of,
    own_texts,
)

OWN = own_texts()
DATE = datetime(2026, 11, 24, 10, 5, tzinfo=AMS)


@dataclass(frozen=True)
class Case:
    body: str
    subject: str = "Workshop Co-creëren met de samenleving"
    reply: bool = False  # an answer to a mail of ours (the offer)
    sender: str = "Sam de Boer <s.deboer@gemeente-voorbeeld.nl>"


def decided(case: Case):  # type: ignore[no-untyped-def]
    headers = [
        f"From: {case.sender}",
        "To: Gertjan Verstoep <workshops@antwoordvooroverheden.nl>",
        f"Subject: {case.subject}",
        f"Date: {format_datetime(DATE)}",
        f"Message-ID: <{md5((case.subject + case.body).encode()).hexdigest()}@mail.example>",
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=utf-8",
    ]
    if case.reply:
        headers.append("In-Reply-To: <inbox-worker.1.abc@antwoordvooroverheden.nl>")
        headers.append("References: <inbox-worker.1.abc@antwoordvooroverheden.nl>")
    raw = ("\n".join(headers) + "\n\n" + case.body + "\n").encode()

    def thread(msg):  # type: ignore[no-untyped-def]
        return _thread_as_stored(msg, OWN)

    reading = read(thread, raw, SESSIONS, DATE, OWN, fallback="config-sessions")
    situation = _situation(reading, DATE)
    decision = decide(reading.msg, reading.classification, reading.facts, situation, POLICY, DATE)
    return reading, action_of(decision, situation.bookings)


# ---------------------------------------------------------------- first inquiries: the offer

INQUIRIES = [
    Case("Graag ontvang ik meer informatie over de workshop Co-creëren met de samenleving."),
    Case(
        "Goedemiddag,\n\nWij overwegen deelname met ons team van drie beleidsmedewerkers. "
        "Kunt u ons laten weten wanneer de workshop plaatsvindt?\n\nMet vriendelijke groet,\n"
        "Petra",
        "Deelname workshop",
    ),
    Case("Is er nog plek?", "Workshop co-creëren"),
    Case(
        "Hoi! Ik zag jullie workshop voorbijkomen op LinkedIn. Lijkt me heel interessant. "
        "Wanneer is de volgende?\n\nGroetjes, Fleur"
    ),
    Case(
        "Geachte heer Verstoep,\n\nNamens de afdeling Ruimte van de gemeente Zeist wil ik graag "
        "informeren naar de mogelijkheden om deel te nemen aan uw training.\n\n"
        "Met vriendelijke groet,\nJ. van Dam"
    ),
    Case("ik heb belangstelling voor de workshop. graag de data", "workshop"),
    Case("Wanneer staat de volgende editie gepland?", "Co-creëren met de samenleving"),
    Case("Ik zou graag willen deelnemen aan de workshop. Hoe kan ik me aanmelden?", "Aanmelden"),
    Case("Interesse! Data?", "workshop co-creatie"),
    Case(
        "Goedemorgen,\nEen collega wees mij op uw workshop over co-creatie. Zijn er in het "
        "voorjaar nog sessies?\nGroet, Karin",
        "Vraag",
    ),
    Case(
        "Beste Gertjan,\n\nIk werk als participatiemedewerker bij het waterschap. Wij willen "
        "inwoners veel eerder betrekken bij de dijkversterking langs de Lek, want bij het "
        "vorige project liep het inspraakavondje behoorlijk uit de hand. Een collega van de "
        "provincie raadde jouw workshop aan; zij was er erg enthousiast over.\n\n"
        "Ik ben benieuwd wat de workshop precies inhoudt en wanneer die plaatsvindt.\n\n"
        "Hartelijke groet,\nMarloes",
        "Co-creëren",
    ),
    Case("Kunt u mij het programma van de workshop toesturen?", "Programma"),
    Case(
        "Graag zou ik mij willen inschrijven voor de workshop co-creëren. Welke data zijn er?",
        "Inschrijving",
    ),
    Case("Hallo, is de workshop ook online te volgen?", "Vraag over workshop"),
    Case("Wat kost de workshop per persoon, en wanneer is de volgende?", "Kosten"),
    Case("Ik wil graag meedoen met de workshop. Stuur me de data maar!", "Meedoen"),
    Case("Zie onderwerp", "Welke data heeft de workshop co-creëren nog?"),
    Case("Verzonden vanaf mijn iPhone", "Info workshop co-creatie?"),
    Case(
        "Mijn leidinggevende vroeg mij uit te zoeken of deze training iets voor ons is. "
        "Kunt u informatie sturen?",
        "Training co-creëren",
    ),
    Case(
        "Goedendag,\nVia de nieuwsbrief van de VNG las ik over jullie training. "
        "Ik wil er graag meer over weten.\nMvg, Ahmed",
        "Training",
    ),
    Case("Ik ben geïnteresseerd in de workshop, staat er binnenkort weer een gepland?"),
    Case("Zijn er nog plaatsen beschikbaar in februari?", "Workshop"),
    Case("Ik heb interesse in de workshop.", "Workshop co-creëren"),
    Case(
        "Geachte heer, mevrouw,\n\nNaar aanleiding van het artikel in Binnenlands Bestuur wend "
        "ik mij tot u. Binnen het hoogheemraadschap is de wens ontstaan medewerkers te scholen "
        "op het gebied van participatie. Graag ontvang ik informatie over de inhoud, de kosten "
        "en de geplande data van de training.\n\nHoogachtend,\n\nmr. drs. H.J. Koster",
        "Informatieverzoek training participatie",
    ),
    Case("Hoe laat begint de workshop en wanneer zijn de data?", "Workshop"),
    Case("Is de lunch bij de prijs inbegrepen? En wanneer zijn de sessies?", "Workshop"),
    # English
    Case("Could you send me the programme?", "Co-creation workshop"),
    Case("Hi, please send me the dates. Thanks, Tom", "Interested in your workshop"),
    Case(
        "Dear Sir or Madam,\n\nI would like to enquire about the upcoming sessions of your "
        "co-creation workshop.\n\nKind regards,\nEmily Watson",
        "Enquiry",
    ),
    Case("Hello, are there still places available for the workshop?", "Workshop"),
    Case("Hi! Saw your workshop mentioned at a conference. When's the next one?", "Workshop"),
    Case(
        "I'm a policy officer at a Dutch municipality and would like to attend your workshop. "
        "What dates do you have?",
        "Workshop",
    ),
    Case("Is the workshop also offered online?", "Co-creation"),
    Case(
        "Good afternoon,\n\nMy colleague and I are considering joining the workshop on "
        "co-creation. Could you share more details about the content and the dates?\n\n"
        "Best regards,\nLars",
        "Co-creation workshop",
    ),
    Case("Do you have any sessions coming up?", "Workshop"),
    Case("Sent from my iPhone", "Workshop dates?"),
    Case("Interested in your workshop. What does it cost?", "Co-creation"),
    Case("Hello,\nI'd love to know more about the training.\nCheers, Ben", "Training"),
]


@pytest.mark.parametrize("case", INQUIRIES, ids=lambda c: c.body[:40])
def test_first_inquiries_get_the_offer(case: Case) -> None:
    reading, action = decided(case)
    assert reading.classification.category is Category.INQUIRY, reading.classification
    assert reading.classification.attention == ()
    assert action == "offer"


# ---------------------------------------------------------------- inquiries a person answers

FOR_A_PERSON = [
    Case("Wij willen graag met 12 collega's deelnemen. Is er een groepskorting mogelijk?"),
    Case(
        "Kunnen jullie de workshop ook bij ons op het gemeentehuis geven voor ongeveer 20 "
        "medewerkers?"
    ),
    Case(
        "Kunt u een offerte sturen voor drie deelnemers? Die hebben we nodig voor onze "
        "inkoopafdeling.",
        "Offerte workshop",
    ),
    Case("Wij moeten u eerst als leverancier registreren. Kunt u uw KvK-nummer sturen?"),
    Case("Ik zit in een rolstoel. Is de locatie in Zwolle toegankelijk?"),
    Case(
        "Welk videoplatform gebruiken jullie voor de online sessie? Wij mogen alleen Teams "
        "gebruiken."
    ),
    Case("Mag een raadslid ook deelnemen aan de workshop?"),
    Case("Wordt de workshop in het Engels gegeven? Een collega spreekt geen Nederlands."),
    Case("Zou u als spreker op ons congres over burgerparticipatie willen komen?", "Uitnodiging"),
    Case("Is er studentenkorting? Ik loop stage bij de provincie en wil graag meedoen."),
    Case("Kunnen we de factuur voor de workshop over twee kostenplaatsen verdelen?"),
    Case("Wij zijn een woningcorporatie, geen overheid. Kunnen wij ook meedoen?"),
    Case("Hoeveel kost het als we met het hele team van acht personen komen?"),
    Case("Is het mogelijk de workshop op maat te maken voor onze provincie?"),
    Case(
        "Beste,\n\nIk ben beleidsadviseur bij de gemeente Ede. We werken aan een nieuwe "
        "omgevingsvisie en willen de raad er vroeg bij betrekken. Ik zou graag willen weten of "
        "het mogelijk is om de workshop bij ons in het stadhuis te organiseren, voor ambtenaren "
        "en raadsleden samen.\n\nGroet,\nWillem"
    ),
    Case("Accepteren jullie een inkooporder? Ons PO-nummer sturen we na aanmelding."),
    Case("Is er een ringleiding in de zaal? Ik wil me graag aanmelden voor de workshop."),
    Case("Krijgen we korting als we met vijf collega's komen? En wanneer zijn de data?"),
    Case("Kunnen we de workshop betalen in twee termijnen?"),
    Case("Is de workshop ook geschikt voor iemand die slechtziend is? Wat is er mogelijk?"),
    Case("Wij zijn een kleine stichting met een beperkt budget. Is de prijs bespreekbaar?"),
    Case("Kan ik ook alleen de ochtend van de workshop bijwonen?"),
    # English
    Case("Do you offer a discount for non-profits?", "Workshop"),
    Case("Could you deliver the workshop in-house for our team of 15?", "In-house workshop"),
    Case("We need a quote and your VAT number before we can register.", "Workshop"),
    Case("Is the venue wheelchair accessible? I'd like to attend the workshop.", "Workshop"),
    Case("Which platform do you use for the online session? Zoom is blocked here.", "Workshop"),
    Case("Can students attend the workshop as well?", "Workshop"),
    Case("Is the workshop taught in English? I don't speak Dutch.", "Workshop"),
    Case(
        "Would you be available to give a keynote at our annual conference on participation?",
        "Speaking invitation",
    ),
    Case("Can I pay for the workshop by invoice with a purchase order number?", "Workshop"),
    Case("Hi, is the training suitable for someone who doesn't speak Dutch?", "Training"),
    Case("Is there a group rate if six of us join the workshop?", "Group booking"),
    Case(
        "Dear Gertjan,\n\nOur department would like a private session of the workshop, adapted "
        "to our housing programme. Would that be possible, and what would it cost?\n\nBest,\n"
        "Olivia",
        "Workshop for our department",
    ),
]


@pytest.mark.parametrize("case", FOR_A_PERSON, ids=lambda c: c.body[:40])
def test_a_question_only_the_organiser_can_answer_goes_to_a_person(case: Case) -> None:
    reading, action = decided(case)
    assert not reading.classification.category.is_machine, reading.classification
    assert reading.classification.attention, reading.classification
    assert action == "needs_attention"


# ---------------------------------------------------------------- mail that needs no answer

NO_ANSWER = [
    Case("Dank je wel, ik bespreek het met mijn leidinggevende.", "Re: Workshop", reply=True),
    Case("Top, dank! Tot dan.", "Re: Workshop", reply=True),
    Case("Thanks, got it. See you in March.", "Re: Co-creation workshop", reply=True),
    Case("Great, thank you. I've put it in my calendar.", "Re: Workshop", reply=True),
    Case("Prima, dank voor de snelle reactie.", "Re: Workshop", reply=True),
    Case("Hierbij alvast mijn casus voor de workshop. Tot dan!", "Re: Workshop", reply=True),
    Case(
        "Goedemiddag Gertjan,\n\nHierbij bevestigen wij de lunch voor 16 personen op dinsdag "
        "12 januari in Utrecht.\n\nMet vriendelijke groet,\nCatering De Smulpaap",
        "Bevestiging lunch",
        sender="Catering De Smulpaap <info@smulpaap.example>",
    ),
    Case(
        "Beste heer Verstoep,\n\nDe zaal De Linde is voor u gereserveerd op donderdag "
        "4 februari van 8.30 tot 17.00 uur, inclusief beamer en flipovers. Ter info: de "
        "parkeerplaats is die dag beperkt beschikbaar.\n\nMet vriendelijke groet,\n"
        "Zalencentrum Het Spoor",
        "Reservering zaal 4 februari",
        sender="Het Spoor <reserveringen@hetspoor.example>",
    ),
    Case(
        "Hoi Gertjan,\n\nIk heb de sheets voor Zwolle bijgewerkt en in de gedeelde map gezet. "
        "Tot donderdag!\n\nAnouk",
        "Sheets Zwolle",
        sender="Anouk Jansen <anouk@cotrainer.example>",
    ),
    Case(
        "Ter info: de gemeente Amersfoort organiseert in maart ook een middag over "
        "participatie.\n\nGroet, Bas",
        "Ter info",
    ),
    Case(
        "Hi Gertjan,\n\nJust confirming that the room is booked for 10 March, 9:00-17:00, "
        "with coffee and lunch for 20. No need to reply.\n\nBest,\nRuth",
        "Room booking 10 March",
        sender="Ruth Evans <ruth@venue.example>",
    ),
    Case(
        "FYI, forwarding this from our HR team. No action needed.\n\nMaria",
        "FW: training budget 2027",
    ),
]


@pytest.mark.parametrize("case", NO_ANSWER, ids=lambda c: c.body[:40])
def test_mail_that_needs_no_answer_is_left_alone(case: Case) -> None:
    reading, action = decided(case)
    assert reading.classification.category is Category.OTHER, reading.classification
    assert action == "ignore"


# A person who says something the organiser may want to read: never machine mail,
# never an automatic reply; ignoring or flagging are both fine.
HUMAN_NOTES = [
    Case(
        "Hoi, ik ben de komende twee weken op vakantie, dus ik reageer pas daarna op je mail "
        "over de workshop. Groet, Ilse",
        "Re: Workshop",
        reply=True,
    ),
    Case(
        "I'm travelling this week and will look at the dates when I'm back. Thanks!",
        "Re: Co-creation workshop",
        reply=True,
    ),
    Case(
        "Ik heb me inmiddels via het formulier op de website aangemeld, dus deze mail kun je "
        "negeren.",
        "Re: Workshop",
        reply=True,
    ),
]


@pytest.mark.parametrize("case", HUMAN_NOTES, ids=lambda c: c.body[:40])
def test_a_human_note_is_never_machine_mail(case: Case) -> None:
    reading, action = decided(case)
    assert not reading.classification.category.is_machine, reading.classification
    assert action in ("ignore", "needs_attention")


# ---------------------------------------------------------------- spam that reaches the inbox

SPAM = [
    Case(
        "Geachte klant,\n\nUw domeinnaam antwoordvooroverheden.nl verloopt op 30-11-2026. Om "
        "verlies van uw website en e-mail te voorkomen dient u direct te verlengen via "
        "https://domein-verlengen.example/pay. Kosten: € 89,-",
        "Laatste herinnering: domeinnaam verloopt",
        sender="Domeinbeheer <service@domein-verlengen.example>",
    ),
    Case(
        "Geachte relatie,\n\nIn de bijlage vindt u de openstaande factuur 2026-4471 voor uw "
        "vermelding in het Bedrijvenregister Nederland. Wij verzoeken u het bedrag van € 1.190,- "
        "binnen 7 dagen over te maken op rekening NL12 ABCD 0123 4567 89. Bij uitblijven van "
        "betaling wordt de vordering overgedragen aan ons incassobureau.",
        "Openstaande factuur 2026-4471",
        sender="Bedrijvenregister <administratie@bedrijvenregister-nl.example>",
    ),
    Case(
        "Your Microsoft 365 password expires today. Click here to keep your current password: "
        "https://m365-secure.example/keep",
        "Password expiry notice",
        sender="Microsoft 365 <admin@m365-secure.example>",
    ),
    Case(
        "Beste klant,\n\nUw betaalpas verloopt binnenkort. Vernieuw uw pas via onderstaande link "
        "om blokkering te voorkomen. Klik hier: https://rabo-pas.example\n\nRabobank",
        "Uw betaalpas verloopt",
        sender="Rabobank <klantenservice@rabo-pas.example>",
    ),
    Case(
        "Hi,\n\nI came across your website antwoordvooroverheden.nl and noticed it is not "
        "ranking on the first page of Google. Our SEO team can fix that for only $199 a month. "
        "Reply to this email for a free audit.",
        "Quick question about your website",
        sender="Ryan <ryan@rankboost.example>",
    ),
    Case(
        "Hello,\n\nI'm reaching out on behalf of a digital agency. We'd like to publish a guest "
        "post on your blog with a dofollow link. We pay $50 per placement.",
        "Collaboration proposal",
        sender="Sophie <sophie@contentreach.example>",
    ),
    Case(
        "Wij helpen bedrijven aan meer positieve Google reviews. Voor slechts € 49 krijgt u 20 "
        "vijfsterren beoordelingen.",
        "Meer klanten via Google",
        sender="Reviewpartner <info@reviewpartner.example>",
    ),
    Case(
        "Geachte heer/mevrouw,\n\nWij bieden een actueel adressenbestand van 12.500 ambtenaren en "
        "beleidsmedewerkers bij gemeenten en provincies. Ideaal om uw workshop onder de aandacht "
        "te brengen. Nu met 30% introductiekorting.",
        "Bereik alle beleidsmedewerkers",
        sender="Data Direct <sales@datadirect.example>",
    ),
    Case(
        "Hi,\n\nWould you be interested in acquiring the attendee list of the Public Sector "
        "Summit? We have 8,400 verified contacts of decision-makers. Let me know and I'll send "
        "pricing.",
        "Attendee list",
        sender="Kate <kate@leadlists.example>",
    ),
    Case(
        "Your Bitcoin wallet has received 0.75 BTC. Log in to withdraw your funds before the "
        "offer expires: https://btc-claim.example",
        "Funds received",
        sender="Wallet <noreply-wallet@btc-claim.example>",
    ),
    Case(
        "Dear friend,\n\nI am a bank manager and I hold an unclaimed inheritance of 12 million "
        "dollars belonging to a deceased client with your surname. I need your assistance as "
        "next of kin so that the funds can be released.",
        "Confidential proposal",
        sender="Mr. James Okafor <j.okafor@mail.example>",
    ),
    Case(
        "Dear organiser,\n\nWe would like to register 8 participants for your workshop. Our "
        "accountant has sent a cheque for EUR 6,500, which is more than the fee. Please transfer "
        "the difference to our travel agent, who arranges the visas.",
        "Group registration",
        sender="Daniel Brown <daniel.brown@mail.example>",
    ),
    Case(
        "Uw mailbox is bijna vol (98%). Bevestig uw account binnen 24 uur om te voorkomen dat "
        "nieuwe berichten worden geweigerd: https://mailbox-upgrade.example",
        "Mailbox bijna vol",
        sender="IT Helpdesk <helpdesk@mailbox-upgrade.example>",
    ),
    Case(
        "Marieke heeft een document met u gedeeld: Offerte workshop 2027.pdf. Klik hier om het "
        "document te openen en log in met uw e-mailadres.",
        "Gedeeld document",
        sender="SharePoint <share@docs-online.example>",
    ),
    Case(
        "Please find attached invoice INV-20931 for the renewal of your listing in the European "
        "Business Directory. This is not an invoice but an offer; sign and return the form to "
        "keep your listing.",
        "Listing renewal",
        sender="EBD <renewals@eu-business-directory.example>",
    ),
]


@pytest.mark.parametrize("case", SPAM, ids=lambda c: c.subject[:40])
def test_spam_that_reaches_the_inbox_gets_no_offer(case: Case) -> None:
    reading, action = decided(case)
    assert reading.classification.category is Category.SPAM, reading.classification
    assert action == "ignore"


# ---------------------------------------------------------------- near-misses: people, not spam

NOT_SPAM = [
    Case(
        "Ik heb de factuur van de workshop ontvangen, maar het bedrag klopt niet: we waren met "
        "twee personen, niet drie. Kunt u een creditfactuur sturen?",
        "Factuur workshop",
    ),
    Case(
        "Ik heb me afgemeld voor 12 januari. Krijg ik het bedrag terug op mijn rekening?",
        "Terugbetaling",
    ),
    Case(
        "Hi, I paid the invoice for the workshop twice by mistake (on 3 and 5 December). Could "
        "you refund the second payment to our account NL91 ABNA 0417 1643 00?",
        "Double payment",
    ),
    Case(
        "Onze crediteurenadministratie vraagt of u de factuur opnieuw wilt sturen met ons "
        "inkoopordernummer 4500012345, anders kunnen wij niet betalen.",
        "Factuur workshop co-creëren",
    ),
    Case(
        "Beste Gertjan,\nKun je even kijken of mijn betaling is ontvangen? Ik heb € 495 "
        "overgemaakt op NL20 INGB 0001 2345 67 o.v.v. factuur 2026-031.\nGroet, Lotte",
        "Betaling workshop",
    ),
    Case(
        "Goedemiddag,\nIk heb een link naar de online sessie ontvangen, maar ik kan niet "
        "inloggen. Klik ik op de link, dan krijg ik een foutmelding. Wat moet ik doen?",
        "Inloggen online sessie",
    ),
    Case(
        "Our finance team says the invoice will be paid within 30 days. Can you confirm the "
        "payment terms and send the invoice to our accounts payable team?",
        "Invoice",
    ),
    Case(
        "Wij willen graag met 10 personen deelnemen. Kunnen we via de bank betalen, en kan de "
        "factuur op naam van de gemeente?",
        "Groepsaanmelding",
    ),
]


@pytest.mark.parametrize("case", NOT_SPAM, ids=lambda c: c.subject[:40])
def test_a_participant_asking_about_money_is_no_spammer(case: Case) -> None:
    reading, action = decided(case)
    assert not reading.classification.category.is_machine, reading.classification
    assert action == "needs_attention"


# ---------------------------------------------------------------- a second round, harder

INQUIRIES_2 = [
    Case(
        "Goedemorgen, wij zijn met een paar collega's van de omgevingsdienst aan het kijken naar "
        "scholing rond participatie. Is jullie workshop daar geschikt voor?",
        "Scholing participatie",
    ),
    Case("Hebben jullie nog ruimte in de training van maart?", "Training"),
    Case("Kan ik nog instappen?", "Workshop co-creëren"),
    Case("Wanneer geven jullie de workshop weer?", "Co-creëren"),
    Case("Ik wil graag een plekje reserveren voor de workshop, welke data zijn er?", "Workshop"),
    Case(
        "Hoi Gertjan, leuk je laatst te spreken op het congres! Je vertelde over je workshop; "
        "ik ontvang graag de data.\nGroet, Yvonne",
        "Workshop",
    ),
    Case("Graag zou ik de brochure van de training ontvangen.", "Brochure"),
    Case(
        "Beste, ik ben op zoek naar een training over burgerparticipatie voor mijzelf. Biedt u "
        "die aan?",
        "Training burgerparticipatie",
    ),
    Case("Hey, any spots left for the workshop? :)", "Workshop"),
    Case("What is the workshop about exactly, and when does it run?", "Co-creation workshop"),
    Case("Kindly share the schedule for the co-creation workshop.", "Schedule"),
    Case("Hi there, could I get some info about the workshop?", "Workshop"),
]


@pytest.mark.parametrize("case", INQUIRIES_2, ids=lambda c: c.body[:40])
def test_more_first_inquiries_get_the_offer(case: Case) -> None:
    test_first_inquiries_get_the_offer(case)


FOR_A_PERSON_2 = [
    Case("Kunnen jullie de workshop ook voor ons college van B&W verzorgen?"),
    Case("Ik ben zzp'er en werk vaak voor gemeenten. Mag ik ook deelnemen aan de workshop?"),
    Case("Wordt er bij de workshop ook een certificaat uitgereikt?"),
    Case(
        "Ik heb een visuele beperking. Zijn de materialen van de workshop ook digitaal beschikbaar?"
    ),
    Case("Kunnen we de workshop in november ook bij ons in Maastricht doen?"),
    Case(
        "Ik werk bij een adviesbureau dat veel voor gemeenten doet. Is de workshop ook voor ons "
        "toegankelijk?"
    ),
    Case(
        "Could you offer the workshop to our municipality in March, just for our staff?",
        "Workshop",
    ),
    Case("Are you able to invoice our cost centre separately for each participant?", "Workshop"),
    Case("My manager asks whether a certificate of attendance is provided for the workshop."),
    Case(
        "Ik wil me aanmelden voor de workshop, maar wij betalen alleen op basis van een inkooporder."
    ),
]


@pytest.mark.parametrize("case", FOR_A_PERSON_2, ids=lambda c: c.body[:40])
def test_more_questions_go_to_a_person(case: Case) -> None:
    test_a_question_only_the_organiser_can_answer_goes_to_a_person(case)


NO_ANSWER_2 = [
    Case("Helder, dank je!", "Re: Workshop", reply=True),
    Case("Ontvangen, dank.", "Re: Workshop", reply=True),
    Case("Thank you so much, that's very helpful!", "Re: Workshop", reply=True),
    Case("Ik ga het intern even afstemmen en kom erop terug.", "Re: Workshop", reply=True),
    Case("Bedankt! Ik heb het doorgestuurd naar mijn collega's.", "Re: Workshop", reply=True),
    Case("I'll discuss it with my team and get back to you.", "Re: Workshop", reply=True),
    Case(
        "Dear Mr Verstoep,\n\nThis is to confirm your booking of the Blue Room on 4 February, "
        "9:00 to 17:00.\n\nKind regards,\nEvents team",
        "Booking confirmation",
        sender="Events <events@conferencecentre.example>",
    ),
]


@pytest.mark.parametrize("case", NO_ANSWER_2, ids=lambda c: c.body[:40])
def test_more_mail_that_needs_no_answer(case: Case) -> None:
    test_mail_that_needs_no_answer_is_left_alone(case)


SPAM_2 = [
    Case(
        "Beste ondernemer,\n\nUw bedrijfsgegevens in het Handelsregister Online zijn niet "
        "actueel. Controleer en bevestig uw gegevens binnen 48 uur via de onderstaande link, "
        "anders wordt uw vermelding verwijderd.",
        "Actie vereist: bedrijfsgegevens",
        sender="Handelsregister Online <info@handelsregister-online.example>",
    ),
    Case(
        "Gefeliciteerd! U bent geselecteerd voor een cadeaukaart ter waarde van € 500. Klik hier "
        "en vul uw gegevens in om uw prijs te claimen.",
        "U heeft gewonnen",
        sender="Klantenactie <actie@winnaar-nl.example>",
    ),
    Case(
        "Your parcel could not be delivered. Pay the customs fee of 1.99 EUR here: "
        "https://parcel-fee.example",
        "Delivery failed",
        sender="PostNL <noreply@postnl-delivery.example>",
    ),
    Case(
        "We detected unusual sign-in activity on your account. Verify your identity within 24 "
        "hours or your account will be suspended: https://secure-check.example",
        "Security alert",
        sender="Account Security <security@secure-check.example>",
    ),
    Case(
        "Verdien € 3.000 per week met onze crypto trading bot. Gegarandeerd rendement, zonder "
        "risico!",
        "Financiële vrijheid",
        sender="Crypto Pro <info@cryptopro.example>",
    ),
    Case(
        "Vervaldatum overschreden: factuur 88213 voor uw bedrijfsprofiel. Betaal vandaag via "
        "www.bedrijfsprofiel-betalen.example om verwijdering te voorkomen.",
        "Herinnering factuur 88213",
        sender="Bedrijfsprofiel <facturen@bedrijfsprofiel.example>",
    ),
]


@pytest.mark.parametrize("case", SPAM_2, ids=lambda c: c.subject[:40])
def test_more_spam(case: Case) -> None:
    test_spam_that_reaches_the_inbox_gets_no_offer(case)


# Sales pitches that are not about the workshop: spam or a person, never the offer.
NEVER_THE_OFFER = [
    Case(
        "Hello, I am Sarah, a web developer. I can redesign your website and make it "
        "mobile-friendly at an affordable price. Reply YES for a free quote.",
        "Website redesign",
        sender="Sarah <sarah@webfix.example>",
    ),
    Case(
        "Uitnodiging: Expo Participatie 2027. Boek nu uw stand, early-bird prijs € 1.250 in "
        "plaats van € 1.750! Meer dan 2.000 ambtenaren bezoeken de beurs.",
        "Stand op de Expo Participatie",
        sender="Expo <sales@expo-participatie.example>",
    ),
]


@pytest.mark.parametrize("case", NEVER_THE_OFFER, ids=lambda c: c.subject[:40])
def test_a_sales_pitch_never_gets_the_offer(case: Case) -> None:
    reading, action = decided(case)
    assert action in ("ignore", "needs_attention"), reading.classification


NOT_SPAM_2 = [
    Case(
        "Ik heb per ongeluk twee keer betaald voor de workshop. Kunnen jullie het teveel "
        "betaalde terugstorten?",
        "Dubbel betaald",
    ),
    Case(
        "Our procurement system will send you a purchase order for the workshop. Please "
        "register as a supplier via our portal and confirm your bank details.",
        "Purchase order",
    ),
]


@pytest.mark.parametrize("case", NOT_SPAM_2, ids=lambda c: c.subject[:40])
def test_more_participants_asking_about_money(case: Case) -> None:
    test_a_participant_asking_about_money_is_no_spammer(case)


FOR_A_PERSON_3 = [
    Case("Kunnen jullie de workshop voor onze afdeling verzorgen?"),
    Case("Is het mogelijk om de workshop bij ons op locatie te doen?"),
    Case("Could you run the workshop for our council?", "Workshop"),
    Case("Kan mijn stagiaire ook mee naar de workshop?"),
    Case("Hoe zit het met de annuleringsvoorwaarden van de workshop?"),
    Case("Kan ik ook met de trein komen? Waar is de locatie precies?"),
    Case("Wat als ik ziek word, krijg ik dan mijn geld terug? Ik wil me aanmelden."),
    Case("Hi, I'm a journalist writing about participation; can I sit in on the workshop?"),
    Case("Ik ben student bestuurskunde. Kan ik meedoen aan de workshop?"),
    Case("Do you do this workshop in German too?", "Workshop"),
    Case("Werkt de online sessie ook in Teams?"),
    Case("Mogen er ook wethouders mee naar de workshop?"),
]


@pytest.mark.parametrize("case", FOR_A_PERSON_3, ids=lambda c: c.body[:40])
def test_even_more_questions_go_to_a_person(case: Case) -> None:
    test_a_question_only_the_organiser_can_answer_goes_to_a_person(case)


@pytest.mark.parametrize(
    "body",
    [
        "Wij willen graag 25 medewerkers laten deelnemen aan de workshop. Kan dat?",
        "We are a group of 30 policy officers. Can we all attend the same workshop session?",
    ],
)
def test_a_group_larger_than_any_session_goes_to_a_person(body: str) -> None:
    reading, action = decided(Case(body))
    assert reading.classification.category is Category.INQUIRY
    assert action == "needs_attention"


def test_a_civil_servant_saying_who_they_are_gets_the_offer() -> None:
    _, action = decided(Case("Ik ben beleidsmedewerker. Kan ik me aanmelden voor de workshop?"))
    assert action == "offer"
