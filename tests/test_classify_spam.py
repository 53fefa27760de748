"""Spam that reaches the inbox without spam headers (issue 12, item 6).

Short synthetic messages, written for these tests, Dutch and English. Spam is
told by what it does (asks for money, credentials or a click to avoid a loss,
pretends a bill or registration, sells something unrelated, promises money);
a participant's question about a price, an invoice or a refund is never spam.
"""

from __future__ import annotations

import pytest

from inbox_worker.reading.classify import Category, classify
from inbox_worker.reading.machine import brand_lookalike
from inbox_worker.reading.message import parse
from tests.mailfactory import OFFERED


def mail(body: str, subject: str = "Bericht", sender: str = "Info <info@sender.example>",
         headers: str = "", content_type: str = "text/plain") -> bytes:  # fmt: skip
    return (
        f"From: {sender}\nTo: Organiser <workshops@organiser.example>\nSubject: {subject}\n"
        f"Message-ID: <t1@sender.example>\n{headers}"
        f"Content-Type: {content_type}; charset=utf-8\n\n{body}\n"
    ).encode()


SPAM = [
    # domain renewal dressed as a bill (nl)
    (
        "Domeinnaam verloopt",
        "Domeinbeheer <verlenging@domeinbeheer-nl.example>",
        "Uw domeinnaam organiser.example verloopt op 1 december. Daarna kan de domeinnaam "
        "worden vrijgegeven. Verleng direct via https://verleng.example/pay?d=organiser.\n"
        "Dit aanbod is geen factuur.",
        "text:nl:geen-factuur",
    ),
    # invoice scam (en)
    (
        "Annual listing renewal",
        "Registry Services <billing@registry-services.example>",
        "Your domain listing for organiser.example expires on 30 November. Renew at "
        "https://renew.example/now to avoid loss of your listing.\n"
        "This is not an invoice. You are under no obligation to pay.",
        "text:en:not-an-invoice",
    ),
    # fake business register (nl)
    (
        "Registratie Ondernemersregister 2027",
        "Ondernemersregister <info@ondernemers-register.example>",
        "Om uw vermelding in het Ondernemersregister te behouden, vragen wij u het "
        "registratieformulier te ondertekenen. Jaarlijkse bijdrage EUR 795, looptijd 3 jaar.\n"
        "Dit is geen factuur van de Kamer van Koophandel.",
        "text:nl:vermelding-behouden",
    ),
    # bank phishing from a look-alike domain (nl)
    (
        "Belangrijk bericht over uw rekening",
        "ABN AMRO <service@abnamro-beveiliging.example>",
        "Geachte klant,\nOm blokkering van uw rekening te voorkomen dient u uw gegevens binnen "
        "48 uur te bevestigen.\nGegevens bevestigen",
        "from:brand-lookalike",
    ),
    # Microsoft 365 credential phishing (en)
    (
        "Action required: mailbox storage",
        "Microsoft 365 <admin@m365-mailsecure.example>",
        "Your mailbox is almost full. Verify your account today to avoid suspension of your "
        "e-mail.\nVerify now",
        "text:en:verify-account",
    ),
    # SharePoint share from a domain that is not Microsoft's: phishing, not a notification
    (
        "Peter Jansen heeft 'Factuur 2027.pdf' met u gedeeld",
        "Peter Jansen (via SharePoint) <no-reply@sharepoint-files.example>",
        "Peter Jansen heeft een bestand met u gedeeld.\nFactuur 2027.pdf\nOpenen",
        "from:brand-lookalike",
    ),
    # SEO offer (en)
    (
        "Your website",
        "Sam <sam.rankings@mailbox.example>",
        "Hello, I came across your website and noticed it is not on the first page of Google "
        "for your main keywords. Our SEO team can fix that within 90 days.",
        "text:en:seo",
    ),
    # fake reviews (nl)
    (
        "Meer klanten via Google",
        "Reviewservice <hallo@reviewservice.example>",
        "Wij leveren 5-sterren Google reviews voor trainers en adviseurs. Bestel via "
        "https://reviews.example/bestel en zie binnen een week resultaat.",
        "text:nl:reviews",
    ),
    # guest post / paid links (en)
    (
        "Collaboration",
        "Outreach Team <outreach.team@mailbox.example>",
        "Hi, I really enjoyed your article on participation. We'd like to publish a guest post "
        "on your site, or pay for a link insertion. We offer $150 per link.",
        "text:en:paid-links",
    ),
    # a seller of civil-servant address lists (en)
    (
        "Reach every civil servant",
        "Gov Data <sales@govdata.example>",
        "Reach 48,000 verified civil servants with your training offer. Our contact database "
        "of Dutch government officials is updated monthly. Now 30% off for trainers.",
        "text:en:sells-data",
    ),
    # crypto (en)
    (
        "Make your money work",
        "Investments <invest@crypto-returns.example>",
        "Join our bitcoin trading platform: guaranteed returns of 12% a month.",
        "text:en:investment",
    ),
    # advance-fee fraud (nl)
    (
        "Nalatenschap Verstoep",
        "Mr. A. Owusu <a.owusu.law@mailbox.example>",
        "Geachte heer,\nIk ben de advocaat van wijlen de heer Verstoep. Hij liet een erfenis van "
        "USD 4.500.000 na. Antwoord met uw volledige naam en telefoonnummer.",
        "text:nl:geld-belofte",
    ),
    # overpayment scam dressed as a group registration (en)
    (
        "Registration for 12 participants",
        "Daniel Mensah <d.mensah.events@mailbox.example>",
        "Dear Sir, we would like to register 12 participants for your workshop in February. "
        "Our sponsor will send a certified check that includes the travel costs of the group. "
        "Kindly wire the difference to our travel agent once it has cleared.",
        "text:en:overpayment",
    ),
]


SPAM += [
    # password expiry (nl)
    (
        "Wachtwoord verloopt",
        "IT Helpdesk <helpdesk@mail-beheer.example>",
        "Uw wachtwoord verloopt vandaag. Klik hier om uw huidige wachtwoord te behouden.",
        "text:nl:dreiging",
    ),
    # mail held back (en)
    (
        "Undelivered messages",
        "Mail Admin <admin@mailadmin.example>",
        "You have 4 pending incoming messages held in quarantine. Click here to release them.",
        "text:en:held-mail",
    ),
    # crypto windfall (en)
    (
        "Your wallet received 0.8 BTC",
        "Wallet <support@wallet-payouts.example>",
        "Your account has received 0.8 BTC from a bitcoin promotion. Log in to claim your "
        "bitcoin before Friday.",
        "text:en:claim-login",
    ),
    # guest blog with paid links (nl)
    (
        "Samenwerking",
        "Content Team <content@linkpartners.example>",
        "Wij plaatsen graag een gastblog op uw website, met een backlink naar onze klant. "
        "Wij betalen € 100 per plaatsing.",
        "text:nl:betaalde-links",
    ),
    # overpayment dressed as a group registration (nl)
    (
        "Aanmelding 8 personen",
        "Stichting Reizen <info@stichting-reizen.example>",
        "Wij willen ons met 8 personen aanmelden voor de workshop. Onze sponsor maakt het "
        "totaalbedrag inclusief reiskosten over; wilt u het verschil doorstorten naar onze "
        "reisagent?",
        "text:nl:derde-betalen",
    ),
    # overpayment (en): the balance to a third party
    (
        "Group booking",
        "Ruth Owens <r.owens.delegation@mailbox.example>",
        "We would like to register ten participants for your course. The payment from our "
        "sponsor will also cover the hotel, so please transfer the balance to our travel agent.",
        "text:en:third-party-payment",
    ),
    # a directory listing (en)
    (
        "Directory 2027",
        "EBD <update@business-directory.example>",
        "To keep your listing in the European Business Directory up to date, please complete "
        "and return the form. This is not an invoice.",
        "text:en:listing-renewal",
    ),
]


@pytest.mark.parametrize(("subject", "sender", "body", "reason"), SPAM)
def test_spam_that_reached_the_inbox(subject: str, sender: str, body: str, reason: str) -> None:
    result = classify(parse(mail(body, subject, sender)), OFFERED)
    assert result.category is Category.SPAM, result.reasons
    assert reason in result.reasons
    assert len(result.reasons) >= 2  # never on one piece of evidence


def test_html_only_phishing_is_spam() -> None:
    body = (
        "<p>Beste klant,</p><p>Vanaf 1 januari wordt uw bankpas vervangen. Om onderbreking "
        "van uw internetbankieren te voorkomen, dient u uw gegevens voor 20 december te "
        "controleren.</p><p><a href='https://x.example'>Gegevens controleren</a></p>"
    )
    raw = mail(body, "Vervanging bankpas", "Rabobank <info@rabobank-service.example>",
               content_type="text/html")  # fmt: skip
    assert classify(parse(raw), OFFERED).category is Category.SPAM


HUMANS = [
    # a participant asks about an invoice and how to pay
    (
        "Factuur workshop",
        "Ik heb nog geen factuur ontvangen voor de workshop van 4 februari. Kunt u die naar "
        "crediteuren@gemeente.example sturen? Wij betalen binnen 30 dagen via overboeking.",
    ),
    (
        "Korting?",
        "Krijgen we korting als we met vijf collega's komen? De prijs van € 495 per "
        "persoon is voor ons budget aan de hoge kant.",
    ),
    # an honest overpayment: one piece of evidence at most
    (
        "Invoice paid twice",
        "We overpaid your invoice by mistake: our finance team paid it twice. Could you refund "
        "the difference to our account? The invoice number is 2027-014.",
    ),
    (
        "Payment",
        "Can we pay by wire transfer? Our finance department needs the beneficiary details "
        "and the IBAN before it can pay for the two places.",
    ),
    (
        "Aanmelding",
        "Mijn e-mail wordt geblokkeerd door onze firewall, daarom schrijf ik vanaf mijn "
        "privéadres. Is er nog plek op 12 januari?",
    ),
    (
        "Workshop",
        "I came across your website and would like to attend the workshop. Could you let me "
        "know the dates? I would like to book two places.",
    ),
    (
        "Te veel betaald",
        "Wij hebben de factuur per ongeluk twee keer betaald. Kunt u het verschil terugstorten "
        "op onze rekening? Factuurnummer 2027-031.",
    ),
    (
        "Offerte in-company",
        "Wij willen de workshop in-company voor 20 medewerkers. Kunt u een offerte sturen met "
        "de kosten per deelnemer? Dit is geen verzoek om een factuur, alleen een indicatie.",
    ),
]


@pytest.mark.parametrize(("subject", "body"), HUMANS)
def test_a_participant_about_money_is_not_spam(subject: str, body: str) -> None:
    raw = mail(body, subject, "Anna de Vries <a.devries@gemeente.example>")
    result = classify(parse(raw), OFFERED)
    assert not result.category.is_machine, result.reasons


def test_a_real_sharepoint_share_is_not_spam() -> None:
    raw = mail("Jan Smit heeft een bestand met u gedeeld.\nProgramma.docx\nOpenen",
               "Jan Smit heeft 'Programma.docx' met u gedeeld",
               "Jan Smit (via SharePoint) <no-reply@sharepointonline.com>")  # fmt: skip
    assert classify(parse(raw), OFFERED).category is not Category.SPAM


def test_spam_does_not_answer_our_mail() -> None:
    # the same words in a reply to our own message are left to the person-reading rules
    body = "Om blokkering van uw rekening te voorkomen dient u uw gegevens te bevestigen."
    raw = mail(body, "Re: Workshop", "ABN AMRO <x@abnamro-veilig.example>",
               headers="In-Reply-To: <ours@organiser.example>\n")  # fmt: skip
    assert classify(parse(raw), OFFERED).category is not Category.SPAM


@pytest.mark.parametrize(
    ("name", "addr", "lookalike"),
    [
        ("Rabobank", "service@rabobank-klantenservice.example", True),
        ("Klantenservice", "info@rabobank.nl", False),
        ("Rabobank", "noreply@mail.rabobank.nl", False),
        ("Ing. P. de Vries", "p.devries@gemeente.example", False),  # a title, not a bank
        ("Sandra (via SharePoint)", "no-reply@sharepointonline.com", False),
        ("Sandra (via SharePoint)", "no-reply@sharepointonline-docs.example", True),
        ("Anna", "anna@paypal-secure.example", True),
    ],
)
def test_brand_lookalike(name: str, addr: str, lookalike: bool) -> None:
    assert bool(brand_lookalike(name, addr)) is lookalike


def test_the_remembered_spam_answer_belongs_to_one_message() -> None:
    from inbox_worker.reading.machine import is_spam

    spam = parse(mail(SPAM[0][2], SPAM[0][0], SPAM[0][1]))
    human = parse(mail(HUMANS[0][1], HUMANS[0][0], "Anna <a@gemeente.example>"))
    assert is_spam(spam, OFFERED) and is_spam(spam, OFFERED)  # the second is remembered
    assert is_spam(human, OFFERED) == ()
    assert is_spam(spam, OFFERED)
