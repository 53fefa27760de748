"""Deterministic workshop mail for the benchmarks: the same seed gives the same bytes.

The mix is what an organiser's mailbox holds after a few years: inquiries in
Dutch and English (some from Outlook with an HTML part and a long disclaimer,
a few with a 50 KB attachment), replies that pick one of the dates we offered
and quote our whole offer below, out-of-office replies (with and without the
headers that say so), a few bounces and newsletters, and thank-you notes.
Messages are 1-10 KB (the attachments excepted) and use LF line endings, as
files in a Maildir do; the IMAP server sends them with CRLF.

Built from string templates rather than `email.message.EmailMessage`, which
is too slow to produce 50,000 messages in a few seconds.
"""

from __future__ import annotations

import base64
import quopri
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.header import Header
from email.utils import format_datetime

ORGANISER = "workshops@example.org"
ORGANISER_NAME = "Gertjan Verstoep"
# The sessions of the benchmark config (bench_poll.py writes them from here),
# so that date choices quote options the engine can recognise.
SESSIONS = (
    ("utrecht", datetime(2099, 1, 12, 9, 30), "Utrecht"),
    ("zwolle", datetime(2099, 2, 4, 9, 30), "Zwolle"),
    ("online", datetime(2099, 3, 10, 9, 30), "online"),
)
START = datetime(2023, 1, 2, 8, 0, tzinfo=UTC)

FIRST = ["Sanne", "Kees", "Fatima", "Jeroen", "Annelies", "Mohamed", "Eva", "Pieter",
         "Lotte", "Bram", "Yvonne", "Daan", "Marieke", "Sven", "Ilse", "Thijs", "Noor",
         "Hanneke", "Ruud", "Joëlle", "Geert", "Emma", "James", "Sarah", "Olivia"]  # fmt: skip
LAST = ["Bakker", "de Vries", "Jansen", "van den Berg", "Visser", "Smit", "Meijer",
        "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Dijk",
        "Brouwer", "Dekker", "Verhoeven", "Kuipers", "Öztürk", "El Amrani", "Miller"]  # fmt: skip
ORGS = [("Gemeente Zwolle", "zwolle.nl"), ("Gemeente Utrecht", "utrecht.nl"),
        ("Provincie Gelderland", "gelderland.nl"), ("Waterschap Vallei en Veluwe", "vallei.nl"),
        ("Ministerie van BZK", "minbzk.nl"), ("GGD Hollands Noorden", "ggdhn.nl"),
        ("Rijkswaterstaat", "rws.nl"), ("Gemeente Súdwest-Fryslân", "sudwestfryslan.nl"),
        ("Omgevingsdienst Midden", "odmidden.nl"), ("Veiligheidsregio Twente", "vrt.nl"),
        ("Woningcorporatie Portaal", "portaal.nl"), ("Hogeschool Windesheim", "wh.nl")]  # fmt: skip

NL_PARAS = [
    "Wij zijn binnen onze organisatie bezig met een nieuwe aanpak voor participatie "
    "en ik ben erg geïnteresseerd in jullie workshop Co-creëren met de samenleving.",
    "Kunnen jullie mij laten weten wanneer de volgende data zijn en wat de kosten zijn? "
    "We zouden graag met {n} collega's deelnemen.",
    "Een collega van de afdeling Ruimte heeft de workshop vorig jaar gevolgd en was "
    "erg enthousiast over de praktische opdrachten en de casussen uit andere gemeenten.",
    "Is het ook mogelijk om de workshop bij ons op locatie te organiseren, bijvoorbeeld "
    "voor een team van twaalf à vijftien beleidsmedewerkers en projectleiders?",
    "Wij werken op dit moment aan de Omgevingswet en willen bewoners eerder betrekken "
    "bij plannen voor de openbare ruimte. Daar zoeken we handvatten voor.",
    "Graag hoor ik ook of er een lunch inbegrepen is en of jullie een factuur op naam "
    "van de organisatie kunnen sturen met ons inkoopordernummer erop.",
    "Ik ben telefonisch bereikbaar op maandag, dinsdag en donderdag via 06 12 34 56 78.",
]
EN_PARAS = [
    "I work for a regional authority and I am interested in your workshop on citizen "
    "participation and co-creation with residents.",
    "Could you tell me when the next sessions are and what it costs? We would like to "
    "join with {n} colleagues from our policy team.",
    "A colleague attended last year and recommended it warmly, especially the exercises "
    "and the examples from other municipalities.",
    "Would it be possible to run the workshop at our office for a team of about fifteen "
    "people, and is the material available in English?",
    "We are preparing a consultation on the new environmental plan and want residents "
    "to be involved much earlier than we managed last time.",
]
DISCLAIMER_NL = (
    "Dit bericht kan informatie bevatten die niet voor u is bestemd. Indien u niet de "
    "geadresseerde bent of dit bericht abusievelijk aan u is toegezonden, wordt u "
    "verzocht dat aan de afzender te melden en het bericht te verwijderen. De Staat "
    "aanvaardt geen aansprakelijkheid voor schade, van welke aard ook, die verband houdt "
    "met risico's verbonden aan het elektronisch verzenden van berichten.\n"
) * 2
NEWS_PARAS = [
    "In deze nieuwsbrief: de nieuwste inzichten over participatie, een terugblik op het "
    "congres en drie nieuwe cursussen in het voorjaar.",
    "Lees het interview met de wethouder over wijkgericht werken en de lessen uit vijf "
    "jaar burgerbegrotingen in de regio.",
    "Schrijf je nu in voor de masterclass Omgevingsgesprek: nog enkele plaatsen vrij.",
]


@dataclass(frozen=True)
class Generated:
    kind: str
    raw: bytes
    date: datetime


class MailGenerator:
    """`messages(n)` yields n messages; `seed` fixes every choice."""

    def __init__(self, seed: int = 20261128) -> None:
        self.seed = seed

    def messages(self, count: int) -> Iterator[Generated]:
        rng = random.Random(self.seed)
        kinds = ["inquiry_nl", "inquiry_en", "date_choice", "out_of_office",
                 "bounce", "newsletter", "thanks"]  # fmt: skip
        weights = [36, 12, 22, 14, 3, 5, 8]
        for i in range(count):
            kind = rng.choices(kinds, weights)[0]
            date = START + timedelta(minutes=17 * i + rng.randrange(15))
            raw = getattr(self, "_" + kind)(rng, i, date)
            yield Generated(kind, raw, date)

    # -- parts ---------------------------------------------------------------

    def _person(self, rng: random.Random) -> tuple[str, str, str, str]:
        first, last = rng.choice(FIRST), rng.choice(LAST)
        org, domain = rng.choice(ORGS)
        local = f"{first[0]}.{last.replace(' ', '')}".lower()
        local = local.encode("ascii", "ignore").decode() or "info"
        return f"{first} {last}", f"{local}{rng.randrange(100)}@{domain}", org, domain

    def _headers(
        self,
        rng: random.Random,
        i: int,
        date: datetime,
        name: str,
        addr: str,
        subject: str,
        extra: str = "",
    ) -> str:
        domain = addr.rsplit("@", 1)[1]
        hops = "".join(
            f"Received: from mx{h}.{domain} (mx{h}.{domain} [192.0.2.{rng.randrange(1, 250)}])\n"
            f"\tby mail.example.org (Postfix) with ESMTPS id {rng.randrange(16**10):010X}\n"
            f"\tfor <{ORGANISER}>; {format_datetime(date)}\n"
            for h in range(rng.randint(1, 3))
        )
        display = name if name.isascii() else Header(name, "utf-8").encode()
        subj = subject if subject.isascii() else Header(subject, "utf-8").encode()
        return (
            f"Return-Path: <{addr}>\n{hops}"
            f"From: {display} <{addr}>\nTo: {ORGANISER_NAME} <{ORGANISER}>\n"
            f"Subject: {subj}\nDate: {format_datetime(date)}\n"
            f"Message-ID: <{i}.{rng.randrange(16**8):08x}@{domain}>\n"
            f"MIME-Version: 1.0\n{extra}"
        )

    def _text_part(self, text: str, rng: random.Random) -> tuple[str, str]:
        """(headers, body) of a text/plain part, in the encodings mail clients use."""
        if text.isascii():
            return "Content-Type: text/plain; charset=us-ascii\n", text
        if rng.random() < 0.7:
            qp = quopri.encodestring(text.encode("utf-8")).decode("ascii")
            return (
                "Content-Type: text/plain; charset=utf-8\n"
                "Content-Transfer-Encoding: quoted-printable\n",
                qp,
            )
        return "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n", text

    def _html(self, text: str) -> str:
        paras = "".join(
            f'<p class="MsoNormal"><span style="font-family:Calibri">{p}</span></p>\n'
            for p in text.split("\n\n")
        )
        return (
            '<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
            "<style>p.MsoNormal{margin:0cm;font-size:11pt}</style></head>\n"
            f"<body lang=NL>\n{paras}</body></html>\n"
        )

    def _body(self, rng: random.Random, text: str, attachment: bool = False) -> str:
        """Headers and body: plain text, or Outlook's alternative, maybe with a PDF."""
        part_h, part_b = self._text_part(text, rng)
        if rng.random() < 0.55 and not attachment:
            return part_h + "\n" + part_b
        b = f"----=_NextPart_{rng.randrange(16**12):012x}"
        html = base64.encodebytes(self._html(text).encode("utf-8")).decode("ascii")
        alt = (
            f"--{b}\n{part_h}\n{part_b}\n"
            f"--{b}\nContent-Type: text/html; charset=utf-8\n"
            f"Content-Transfer-Encoding: base64\n\n{html}--{b}--\n"
        )
        if not attachment:
            return f'Content-Type: multipart/alternative; boundary="{b}"\n\n{alt}'
        outer = f"----=_Outer_{rng.randrange(16**12):012x}"
        pdf = base64.encodebytes(rng.randbytes(50 * 1024)).decode("ascii")
        return (
            f'Content-Type: multipart/mixed; boundary="{outer}"\n\n'
            f'--{outer}\nContent-Type: multipart/alternative; boundary="{b}"\n\n{alt}\n'
            f'--{outer}\nContent-Type: application/pdf; name="offerteaanvraag.pdf"\n'
            'Content-Disposition: attachment; filename="offerteaanvraag.pdf"\n'
            f"Content-Transfer-Encoding: base64\n\n{pdf}--{outer}--\n"
        )

    def _signature(self, rng: random.Random, name: str, org: str, nl: bool) -> str:
        role = rng.choice(
            ["Beleidsmedewerker participatie", "Projectleider", "Adviseur communicatie"]
            if nl
            else ["Policy advisor", "Project manager"]
        )
        phone = f"030 {rng.randrange(100, 999)} {rng.randrange(1000, 9999)}"
        sig = f"{name}\n{role}\n{org}\nT {phone}\n"
        if nl and rng.random() < 0.4:
            sig += "\n" + DISCLAIMER_NL
        return sig

    def _offer_quote(self, rng: random.Random, nl: bool, first: str) -> str:
        lines = [f"Beste {first}," if nl else f"Dear {first},", ""]
        lines.append(
            "Dank voor je vraag. Dit zijn de komende data:"
            if nl
            else "Thank you for your message. These are the coming dates:"
        )
        for n, (_id, starts, place) in enumerate(SESSIONS, start=1):
            lines.append(f"{n}. {starts:%d-%m-%Y} om {starts:%H:%M} in {place}")
        lines += ["", "Laat maar weten welke datum je past." if nl else "Let me know.", ""]
        lines += ["Met vriendelijke groet," if nl else "Kind regards,", ORGANISER_NAME]
        lines += [rng.choice(NL_PARAS if nl else EN_PARAS).format(n=2)] * rng.randint(1, 3)
        return "\n".join("> " + line if line else ">" for line in lines) + "\n"

    # -- kinds ---------------------------------------------------------------

    def _inquiry(self, rng: random.Random, i: int, date: datetime, nl: bool) -> bytes:
        name, addr, org, _ = self._person(rng)
        paras = NL_PARAS if nl else EN_PARAS
        chosen = rng.sample(paras, rng.randint(2, min(5, len(paras))))
        text = ("Goedemiddag,\n\n" if nl else "Hello,\n\n") + "\n\n".join(
            p.format(n=rng.randint(2, 6)) for p in chosen
        )
        text += "\n\n" + ("Met vriendelijke groet,\n\n" if nl else "Kind regards,\n\n")
        text += self._signature(rng, name, org, nl)
        subject = rng.choice(
            ["Vraag over de workshop Co-creëren", "Aanmelding workshop participatie",
             "Informatie workshop", "Offerte workshop op locatie"]
            if nl
            else ["Question about your workshop", "Workshop dates and prices"]
        )  # fmt: skip
        attach = rng.random() < 0.03
        headers = self._headers(rng, i, date, name, addr, subject)
        return (headers + self._body(rng, text, attach)).encode("utf-8")

    def _inquiry_nl(self, rng: random.Random, i: int, date: datetime) -> bytes:
        return self._inquiry(rng, i, date, True)

    def _inquiry_en(self, rng: random.Random, i: int, date: datetime) -> bytes:
        return self._inquiry(rng, i, date, False)

    def _date_choice(self, rng: random.Random, i: int, date: datetime) -> bytes:
        nl = rng.random() < 0.8
        name, addr, _org, _ = self._person(rng)
        option = rng.randint(1, 3)
        _id, starts, place = SESSIONS[option - 1]
        if nl:
            pick = rng.choice(
                [f"Wij kiezen voor optie {option}, {starts:%d-%m} in {place}.",
                 f"Graag schrijf ik me in voor de workshop in {place}.",
                 f"Optie {option} past ons het best. We komen met {rng.randint(1, 4)} personen."]
            )  # fmt: skip
            text = f"Hoi {ORGANISER_NAME.split()[0]},\n\n{pick}\n\nGroet,\n{name}\n\n"
            text += f"Op {date - timedelta(days=3):%d-%m-%Y} schreef {ORGANISER_NAME}:\n"
        else:
            pick = rng.choice(
                [f"We would like option {option}, in {place}.",
                 f"Please book me on the session in {place}."]
            )  # fmt: skip
            text = f"Hi,\n\n{pick}\n\nBest,\n{name}\n\n"
            text += f"On {date - timedelta(days=3):%d %b %Y}, {ORGANISER_NAME} wrote:\n"
        text += self._offer_quote(rng, nl, name.split()[0])
        ours = f"<offer.{rng.randrange(16**10):010x}@example.org>"
        headers = self._headers(
            rng, i, date, name, addr, "Re: Workshop Co-creëren: de data",
            f"In-Reply-To: {ours}\nReferences: {ours}\n",
        )  # fmt: skip
        return (headers + self._body(rng, text)).encode("utf-8")

    def _out_of_office(self, rng: random.Random, i: int, date: datetime) -> bytes:
        name, addr, org, _ = self._person(rng)
        nl = rng.random() < 0.8
        back = date + timedelta(days=rng.randint(2, 20))
        text = (
            f"Ik ben afwezig tot en met {back:%d-%m-%Y} en heb beperkt toegang tot mijn "
            "e-mail. Voor dringende zaken kunt u contact opnemen met het secretariaat.\n"
            if nl
            else f"I am out of the office until {back:%d %B %Y} with limited access to "
            "email. For urgent matters please contact the front desk.\n"
        )
        text += "\n" + self._signature(rng, name, org, nl)
        extra = ""
        if rng.random() < 0.75:  # the rest carry only the text: classify must read it
            extra = "Auto-Submitted: auto-replied\nX-Auto-Response-Suppress: All\n"
        subject = ("Automatisch antwoord: " if nl else "Automatic reply: ") + "Workshop"
        headers = self._headers(rng, i, date, name, addr, subject, extra)
        return (headers + self._body(rng, text)).encode("utf-8")

    def _bounce(self, rng: random.Random, i: int, date: datetime) -> bytes:
        _, lost, _, _ = self._person(rng)
        b = f"{rng.randrange(16**10):010X}.{i}/mail.example.org"
        original = (
            f"From: {ORGANISER_NAME} <{ORGANISER}>\nTo: <{lost}>\n"
            f"Subject: Re: Informatie workshop\nMessage-ID: <r{i}@example.org>\n"
            "Auto-Submitted: auto-replied\n\n" + "Beste,\n\nDank voor je bericht.\n" * 20
        )
        text = (
            "This is the mail system at host mail.example.org.\n\n"
            "I'm sorry to have to inform you that your message could not\n"
            "be delivered to one or more recipients.\n\n"
            f"<{lost}>: host mx.{lost.rsplit('@', 1)[1]} said: 550 5.1.1 User unknown\n"
        )
        body = (
            f'Content-Type: multipart/report; report-type=delivery-status; boundary="{b}"\n\n'
            f"--{b}\nContent-Type: text/plain; charset=us-ascii\n\n{text}\n"
            f"--{b}\nContent-Type: message/delivery-status\n\n"
            f"Reporting-MTA: dns; mail.example.org\n\nFinal-Recipient: rfc822; {lost}\n"
            "Action: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 User unknown\n\n"
            f"--{b}\nContent-Type: message/rfc822\n\n{original}\n--{b}--\n"
        )
        headers = self._headers(
            rng, i, date, "Mail Delivery System", "MAILER-DAEMON@mail.example.org",
            "Undelivered Mail Returned to Sender", "Auto-Submitted: auto-replied\n",
        )  # fmt: skip
        return (headers + body).encode("utf-8")

    def _newsletter(self, rng: random.Random, i: int, date: datetime) -> bytes:
        text = "\n\n".join(rng.choice(NEWS_PARAS) for _ in range(rng.randint(4, 12)))
        extra = (
            "List-Id: Nieuwsbrief Participatie <nieuws.participatie.example.net>\n"
            "List-Unsubscribe: <https://participatie.example.net/afmelden?u=1>\n"
            "Precedence: bulk\n"
        )
        headers = self._headers(
            rng, i, date, "Netwerk Participatie", "nieuws@participatie.example.net",
            f"Nieuwsbrief {date:%B %Y}", extra,
        )  # fmt: skip
        return (headers + self._body(rng, text)).encode("utf-8")

    def _thanks(self, rng: random.Random, i: int, date: datetime) -> bytes:
        name, addr, org, _ = self._person(rng)
        text = (
            "Hallo,\n\nDank voor de fijne workshop van vorige week. De groep was erg "
            "enthousiast en we gaan zeker met de werkvormen aan de slag.\n\nGroet,\n"
            + self._signature(rng, name, org, True)
        )
        headers = self._headers(rng, i, date, name, addr, "Bedankt!")
        return (headers + self._body(rng, text)).encode("utf-8")
