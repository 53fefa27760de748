"""Phrase tables for classification and extraction, Dutch and English (pure data).

Owns the vocabulary: each table maps a short evidence code to a compiled
pattern, so a match becomes a reason code like "text:nl:afwezig-tot". Patterns
are matched on lower-cased text; each carries the literal needles the pre-filter
derived from it, so most texts skip most patterns at substring-test speed.
Keep them general (how people and mail systems write), never tied to one message.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from .prefilter import needles


class Phrase(NamedTuple):
    code: str  # "nl:afwezig-tot"
    pattern: re.Pattern[str]
    # literals one of which any match contains (see prefilter.py); None: always search
    needles: tuple[str, ...] | None


Table = tuple[Phrase, ...]


def _table(lang: str, entries: dict[str, str]) -> Table:
    compiled = ((f"{lang}:{code}", re.compile(pattern)) for code, pattern in entries.items())
    return tuple(Phrase(code, pattern, needles(pattern)) for code, pattern in compiled)


# --- automatic replies without headers (searched in the first part of the new text) ---
AUTO_REPLY_TEXT: Table = _table(
    "nl",
    {
        "afwezig-tot": r"\b(?:ik ben|ben ik|i'm|ik bin)\b[^.!?\n]{0,40}\b(?:afwezig|niet aanwezig|"
        r"niet op kantoor|met vakantie|op vakantie|met verlof|op reis|niet bereikbaar|"
        r"met ouderschapsverlof|met zwangerschapsverlof|ziek)\b",
        "afwezig-van": r"\bafwezig (?:van|tot|t/m|tot en met|vanaf)\b",
        "na-terugkomst": r"\bna (?:mijn )?terugkomst\b|\bweer (?:aanwezig|bereikbaar|"
        r"op kantoor) (?:op|vanaf)\b",
        "in-goede-orde-ontvangen": r"\b(?:in goede orde|correct) ontvangen\b",
        "bericht-ontvangen": r"\b(?:wij|we) hebben (?:uw|je|jouw) (?:e-?mail|bericht|vraag|"
        r"aanvraag)"
        r"[^.\n]{0,20} ontvangen\b",
        "automatisch-bericht": r"\b(?:dit is een |"
        r"deze e-?mail is een )?automatisch (?:gegenereerd |verzonden )?"
        r"(?:antwoord|bericht|gegenereerde e-?mail)\b",
        "mailbox-niet-gelezen": r"\b(?:mailbox|e-?mailadres|"
        r"mail) wordt niet (?:meer )?(?:gelezen|gebruikt)\b|"
        r"\bmijn e-?mailadres is gewijzigd\b|\blees ik mijn (?:e-?)?mail niet\b",
        "reageer-binnen": r"\bik (?:reageer|antwoord|"
        r"beantwoord [^.\n]{0,20}) binnen \d+ (?:uur|dagen|werkdagen)\b|"
        r"\bbinnen \d+ werkdagen(?:,)? (?:een )?(?:reactie|antwoord)\b|\bis het dringend\?",
    },
) + _table(
    "en",
    {
        "out-of-office": r"\bout of (?:the )?office\b",
        "away-until": r"\bi (?:am|will be|'m)\b[^.!?\n]{0,30}\b(?:out|away|on leave|on holiday|"
        r"on vacation|"
        r"travell?ing|absent|off)\b[^.!?\n]{0,30}\b(?:until|till|through|returning|from)\b",
        "limited-access": r"\blimited access to (?:my )?e-?mail\b",
        "request-received": r"\b(?:we have|we've) received your (?:request|e-?mail|message|"
        r"enquiry|inquiry)\b|"
        r"\byour (?:request|ticket|e-?mail|message)(?: \(#?\d+\))? has been received\b|"
        r"\bticket has been created\b|\bthis is an automated (?:response|reply|message)\b|"
        r"\bwe will (?:get back to you|respond) (?:as soon as possible|within)\b",
        "no-longer-monitored": r"\b(?:mailbox|address) is no longer (?:monitored|in use|read)\b",
    },
)
AUTO_REPLY_SUBJECT = re.compile(
    r"^\s*(?:automatisch antwoord|automatic reply|auto(?:matic)?[- ]?(?:reply|response|antwoord)|"
    r"afwezigheidsbericht|afwezig|out of (?:the )?office|abwesenheitsnotiz|réponse automatique|"
    r"ticket received|\[request received\]|request received|autoreply|auto:|"
    r"\[?auto[- ]generated\]?)",
    re.IGNORECASE,
)

# --- bulk mail without list headers (new text + signature) ---
BULK_TEXT: Table = _table(
    "nl",
    {
        "ontvangt-deze": r"\b(?:u|je|jij) ontvangt (?:deze|dit|de)\b[^.\n]{0,60}\b(?:omdat|"
        r"als abonnee|"
        r"nieuwsbrief|update)\b",
        "afmelden-nieuwsbrief": r"\b(?:afmelden|uitschrijven) (?:voor|van) (?:deze|onze|de) "
        r"(?:nieuwsbrief|mailing|e-?mails)\b|\bbeheer (?:uw|je) (?:abonnement|voorkeuren)\b",
        "online-bekijken": r"\b(?:bekijk|lees) (?:deze|de) (?:e-?mail|nieuwsbrief) (?:online|"
        r"in je browser)\b",
    },
) + _table(
    "en",
    {
        "receiving-this": r"\byou(?: are|'re) receiving this\b|\bto unsubscribe\b|"
        r"\bunsubscribe from (?:this|these|our)\b|\bmanage (?:your )?(?:subscription|"
        r"preferences)\b",
        "view-online": r"\bview (?:this|it) (?:e-?mail )?in (?:your|a) browser\b",
    },
)
BULK_SUBJECT = re.compile(r"\b(?:nieuwsbrief|newsletter|digest|google alert)\b", re.IGNORECASE)

# --- spam and phishing (new text + subject); two different hits are needed ---
# Spam is told by what it does, not by its topic (it borrows ours): it asks for
# money, credentials or a click to avoid a loss, pretends a bill or a registration
# we never had, sells a service or data unrelated to the workshop, or promises
# money. A participant's question about a price, an invoice or a refund uses
# none of these moves, or at most one of them: one hit is never enough.
SPAM_TEXT: Table = _table(
    "nl",
    {
        "verifieer-account": r"\b(?:verifieer|bevestig|valideer|activeer) (?:uw|je|jouw) "
        r"(?:account|mailbox|adres|gegevens|e-?mailadres|identiteit)\b",
        "gegevens-controleren": r"\b(?:uw|je) (?:gegevens|inloggegevens|bankgegevens|"
        r"accountgegevens|account|rekening)\b[^.\n]{0,40}\b(?:te )?(?:controleren|bevestigen|"
        r"verifi[eë]ren|valideren|updaten|actualiseren|bij te werken)\b",
        "mailbox-vol": r"\b(?:mailbox|postvak|opslag)\b[^.\n]{0,30}\b(?:vol|opslaglimiet|"
        r"limiet bereikt)\b|"
        r"\bopslaglimiet\b",
        "wordt-verwijderd": r"\b(?:worden|wordt) (?:binnen \d+ uur )?(?:geweigerd|verwijderd|"
        r"geblokkeerd|"
        r"gedeactiveerd|afgesloten)\b|\bwordt (?:uw|je) (?:toegang|account|rekening|mailbox|"
        r"pas)\b[^.\n]{0,40}\b(?:geblokkeerd|opgeschort|gedeactiveerd|afgesloten)\b",
        # a loss threatened unless one acts (a domain name may hold dots)
        "dreiging": r"\bom (?:onderbreking|blokkering|verlies|afsluiting|verwijdering)\b"
        r"[^.\n]{0,60}\bte voorkomen\b|\b(?:leiden|leidt) tot (?:het )?verlies van\b|"
        r"\b(?:domeinnaam|domein|vermelding|abonnement|licentie|wachtwoord|digid|bankpas|"
        r"betaalpas)\b(?:[^.\n]|\.(?=\w)){0,60}"
        r"\b(?:verloopt|verlopen|vervalt|vervallen|(?:wordt|worden) vrijgegeven)\b",
        # a bill that says it is none: what offers dressed as invoices must print
        "geen-factuur": r"\bis geen factuur\b(?! (?:ontvangen|gekomen|verstuurd|gestuurd|binnen))|"
        r"\bniet verplicht tot (?:betaling|betalen)\b|\bgeen betalingsverplichting\b",
        # pay or order through a link in the mail itself
        "betaal-link": r"\b(?:betaal|betalen|verleng|verlengen|bestel|bestellen|activeer)\b"
        r"[^\n]{0,40}?\b(?:via|op)\b:? ?(?:https?://|www\.)",
        "betaal-kosten": r"\bbetaal\b[^.\n]{0,40}\b(?:kosten|bedrag|eur|€)",
        # a registration we never had: keep a listing by signing a contract
        "vermelding-behouden": r"\b(?:uw|je) (?:vermelding|bedrijfsvermelding|bedrijfsregistratie|"
        r"registratie)\b[^.\n]{0,60}\b(?:te )?(?:behouden|handhaven|verlengen|actualiseren)\b|"
        r"\bregistratieformulier\b[^.\n]{0,60}\b(?:te )?(?:ondertekenen|tekenen|retourneren)\b|"
        r"\blooptijd (?:van )?\d+ (?:jaar|jaren|maanden)\b",
        "pakket": r"\b(?:je|uw) pakket\b",
        "berichten-vast": r"\b\d+\s(?:nieuwe |inkomende )?(?:berichten|e-?mails)\s(?:in de "
        r"wachtrij|vastgehouden|in quarantaine|(?:zijn )?niet afgeleverd)\b",
        "klik-link": r"\bklik (?:hier|op (?:de|onderstaande) (?:link|knop))\b",
        "gedeeld-document": r"\bheeft (?:een |het )?(?:bestand|document|map)\b[^.\n]{0,40}"
        r"\bmet (?:u|je|jou) gedeeld\b",
        "website-fouten": r"\b(?:uw|je) website\b[^.\n]{0,40}\b(?:fouten|problemen|niet mobiel|"
        r"langzaam|google)\b",
        "website-eigenaar": r"\bwebsite ?eigenaar\b|\bik heb (?:uw|je) website bezocht\b",
        "seo": r"\b(?:seo|zoekmachine[- ]?(?:optimalisatie|registratie)|eerste pagina van google|"
        r"hoger in google|bovenaan in google)\b",
        "betaalde-links": r"\bgast(?:blog|artikel)\b|\blink ?building\b|\bbacklinks?\b|"
        r"\bgesponsorde? (?:artikel|blog|bericht)\b",
        "per-plaatsing": r"(?:€|eur) ?\d+[,.-]*\s*per (?:artikel|plaatsing|link|blog)\b",
        # sells lists of people: addresses of civil servants, decision makers
        "adresbestand": r"\b(?:adressen|adres|e-?mail|contact|leads?)(?:bestand|database)(?:en)?\b|"
        r"\b\d{1,3}(?:\.\d{3})+\s(?:contactpersonen|beslissers|contacten)\b",
        "prijsactie": r"\bintroductiekorting\b|\bnu met \d+ ?% (?:\w+)?korting\b|"
        r"(?:eur|€) ?[\d.,]+[,-]*\snu (?:voor )?(?:eur|€) ?\d",
        "reviews": r"\b(?:reviews|recensies)\s(?:kopen|inkopen)\b|"
        r"\b(?:positieve|5[- ]sterren|vijfsterren)\s(?:google[- ])?(?:reviews|recensies|"
        r"beoordelingen)\b",
        "gegevens-sturen": r"\b(?:antwoord|reageer|beantwoord)\w*\b[^.\n]{0,40}\bmet (?:uw|je) "
        r"(?:volledige naam|telefoonnummer|adres|bankgegevens|rekeningnummer|geboortedatum)\b",
        "geld-belofte": r"\b(?:erfenis|nalatenschap|loterij|begunstigde|miljoen (?:euro|dollar))\b|"
        r"\bu heeft (?:een (?:prijs|bedrag) )?gewonnen\b",
        "beleggen": r"\b(?:gegarandeerde?|vast) (?:rendement|winst)\b|"
        r"\bbeleggen in (?:crypto|bitcoin)\w*\b",
        # an overpayment scam: more is paid than owed, and the difference is to be sent on
        "verschil-terugstorten": r"\b(?:terug ?storten|terugbetalen|doorstorten|overmaken)\b"
        r"[^.\n]{0,30}\b(?:het )?(?:verschil|teveel|restant|overschot)\b|"
        r"\bhet (?:verschil|teveel(?: betaalde)?|restant|overschot)\b[^.\n]{0,30}\b(?:terug ?"
        r"(?:te )?storten|terug ?(?:te )?betalen|door ?(?:te )?storten|over ?(?:te )?maken)\b",
        "cheque": r"\b(?:cheque|bankcheque)\b",
        "derde-betalen": r"\b(?:betaal|betalen|overmaken|doorstorten|storten)\b[^.\n]{0,40}"
        r"\b(?:aan|naar) (?:onze|de|mijn) (?:reisagent|agent|vervoerder|chauffeur|tolk|"
        r"touroperator)\b",
    },
) + _table(
    "en",
    {
        "verify-account": r"\b(?:verify|confirm|validate|update) your (?:account|mailbox|identity|"
        r"password|payment|details)\b",
        "mailbox-full": r"\bmailbox (?:is )?(?:almost |nearly )?full\b|\bstorage limit\b",
        "threat": r"\b(?:to avoid|to prevent|avoid) (?:any )?(?:interruption|suspension|loss|"
        r"deactivation|closure)\b|\bresult in (?:the )?loss of\b|"
        r"\b(?:domain|listing|subscription|mailbox|password)\b[^.\n]{0,60}\b(?:expires?|expiring|"
        r"will be (?:released|deleted|closed|deactivated|suspended|blocked))\b",
        "not-an-invoice": r"\b(?:this|it) is not an invoice\b|\bnot a bill\b|"
        r"\bno obligation to pay\b",
        "listing-renewal": r"\b(?:your|the) (?:listing|entry) (?:in|on) [^.\n]{0,40}"
        r"\b(?:directory|register|guide)\b|\b(?:sign|complete) and return (?:the|this) "
        r"(?:form|registration|order)\b",
        "held-mail": r"\b\d+\s(?:new |incoming )?(?:pending|undelivered|held|quarantined)\s"
        r"(?:incoming )?(?:messages|e-?mails)\b|\b(?:messages|e-?mails) (?:are )?(?:pending|"
        r"on hold|held) (?:for|in) (?:your )?(?:mailbox|inbox|quarantine)\b",
        "claim-login": r"\bclaim (?:your|the) (?:funds|prize|reward|payment|bitcoin|btc|refund|"
        r"tokens?)\b|\bwithdraw (?:your )?(?:funds|bitcoin|btc|earnings|profits?)\b|"
        r"\b(?:log ?in|sign in)\b[^.\n]{0,20}\bto (?:claim|withdraw|keep|restore|avoid)\b",
        "pay-link": r"\b(?:pay|renew|order|activate)\b[^\n]{0,40}?\b(?:at|via|here)\b:? ?"
        r"(?:https?://|www\.)",
        "click-here": r"\bclick (?:here|the link below|below)\b",
        "shared-document": r"\bshared (?:a|the|an?) (?:file|document|folder) with you\b",
        "seo": r"\b(?:seo|first page of google|search engine optimi[sz]ation|website owner)\b",
        "paid-links": r"\bguest (?:post|article|blog(?:ging)?)\b|\blinkbuilding\b|"
        r"\blink (?:insertion|placement|building)\b|\bbacklinks?\b|"
        r"\bsponsored (?:post|article|content)\b|\bdo-?follow\b|"
        r"\bper (?:placement|link)\b",
        "outreach": r"\b(?:i|we) (?:really |truly )?(?:enjoyed|loved|came across|stumbled upon) "
        r"your (?:article|blog|post|website|site|content)\b|"
        r"\b(?:i'm|i am|we're|we are) reaching out (?:from|on behalf)\b",
        "reviews": r"\b(?:buy|purchase|get more|boost)\b[^.\n]{0,20}\breviews\b|"
        r"\b(?:positive|5[- ]star|five[- ]star)\s(?:google )?reviews\b",
        "sells-data": r"\b(?:e-?mail|contact|attendee|decision[- ]maker|b2b|leads?) "
        r"(?:list|database)s? (?:of|with|for)\b|\b\d{1,3}(?:,\d{3})+\s(?:verified )?(?:contacts|"
        r"decision[- ]makers|civil servants)\b",
        "reply-details": r"\b(?:reply|respond)\b[^.\n]{0,30}\bwith your (?:full name|name,|phone|"
        r"telephone|mobile|home address|address|date of birth|bank|passport)\b",
        "money": r"\b(?:lottery|inheritance|bitcoin|crypto|wire transfer|million (?:us )?dollars|"
        r"beneficiary)\b",
        "advance-fee": r"\bnext of kin\b|\bdormant account\b|\bunclaimed (?:funds|inheritance)\b|"
        r"\bconsignment box\b|\batm card\b|\b(?:funds|money|sum) (?:can|will|could) be released\b|"
        r"\bshare the (?:funds|proceeds|money)\b|\bmillion\b[^.\n]{0,50}\b(?:dollars|euros?|"
        r"pounds)\b",
        "investment": r"\bguaranteed (?:returns?|profits?|income)\b|\binvestment opportunity\b|"
        r"\btrading (?:platform|bot|account)\b",
        "overpayment": r"\boverpa(?:y|id|yment)\b|\b(?:refund|return|send back|remit|wire|"
        r"transfer|forward)\b[^.\n]{0,30}\b(?:the )?(?:difference|excess|balance|surplus|"
        r"remaining (?:amount|funds|balance))\b",
        "cheque": r"\b(?:cheque|cashier'?s check|certified check|bank draft|money order)\b",
        "third-party-payment": r"\b(?:pay|transfer|send|remit|forward|wire)\b[^.\n]{0,40}"
        r"\bto (?:our|the|my) (?:travel agent|agent|driver|shipper|logistics|transport company|"
        r"tour operator|interpreter)\b",
        "urgent-action": r"\b(?:urgent|immediate) action required\b|"
        r"\baccount (?:will be )?suspended\b",
        "discount": r"\bsave\s*\$?\d|\b\d+% off\b|\b0ff\b|\bjust released\b",
        "dollar-price": r"\d(?:[.,]\d+)?\s?\$",
        "infected": r"\byou are infected\b|\b(?:adware|spyware|malware removal)\b",
        "free-offer": r"\bfree (?:scan|download|trial|gift|offer)\b|\bdownload now\b|\bact now\b",
    },
)
# Brands phishing dresses up as, and the domains that really send their mail: a
# sender that names the brand (display name or domain) from another domain is
# pretending. (brand as it shows in a display name, lower-case; its domains)
BRAND_DOMAINS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("rabobank", ("rabobank.nl", "rabobank.com")),
    ("abn amro", ("abnamro.nl", "abnamro.com")),
    ("abnamro", ("abnamro.nl", "abnamro.com")),
    ("ing bank", ("ing.nl", "ing.com")),
    ("snsbank", ("snsbank.nl", "sns.nl")),
    ("sns bank", ("snsbank.nl", "sns.nl")),
    ("triodos", ("triodos.nl", "triodos.com")),
    ("bunq", ("bunq.com",)),
    ("paypal", ("paypal.com", "paypal.nl")),
    ("microsoft", ("microsoft.com", "microsoftonline.com", "office.com", "office365.com",
                   "sharepointonline.com", "sharepoint.com", "outlook.com")),
    ("office 365", ("microsoft.com", "microsoftonline.com", "office.com", "office365.com")),
    ("office365", ("microsoft.com", "microsoftonline.com", "office.com", "office365.com")),
    ("sharepoint", ("sharepointonline.com", "sharepoint.com", "microsoft.com")),
    ("onedrive", ("onedrive.com", "microsoft.com", "sharepointonline.com")),
    ("docusign", ("docusign.net", "docusign.com")),
    ("dropbox", ("dropbox.com", "dropboxmail.com")),
    ("wetransfer", ("wetransfer.com",)),
    ("postnl", ("postnl.nl",)),
)  # fmt: skip

# --- unsubscribe ---
UNSUBSCRIBE_TEXT: Table = _table(
    "nl",
    {
        "uitschrijven": r"\buitschrijven\b|\bschrijf (?:me|mij|ons) uit\b",
        "geen-mail-meer": r"\b(?:geen|niet langer)\b[^.\n]{0,20}\b(?:(?:e-?)?mails?|berichten|"
        r"nieuwsbrieven?|mailings?)\b[^.\n]{0,20}\bmeer\b[^.\n]{0,20}\b(?:ontvangen|sturen|"
        r"toesturen)\b|"
        r"\bniet (?:meer|langer) (?:mailen|benaderen)\b|"
        r"\b(?:ontvang|krijg)\w*\b[^.\n]{0,15}\bgeen\b"
        r"[^.\n]{0,15}\b(?:(?:e-?)?mails?|berichten|nieuwsbrieven?)\b[^.\n]{0,10}\bmeer\b",
        "van-lijst": r"\b(?:haal|verwijder)\b[^.\n]{0,30}\b(?:van|uit)\b[^.\n]{0,20}"
        r"\b(?:lijst|mailinglijst|verzendlijst|bestand)\b|\bverwijder (?:mijn|ons) "
        r"(?:e-?mailadres|adres|gegevens)\b|\bmijn gegevens (?:te )?verwijderen\b",
        "uit-bestand": r"\b(?:uit|van)\s(?:je|jullie|uw|het|de)\s(?:adressen|mailing|verzend|"
        r"e-?mail)?(?:bestand|lijst|database|systeem|administratie)\s(?:te\s)?(?:halen|"
        r"verwijderen|schrappen)\b",
        # the AVG: erasure of one's data, objection to its use, consent withdrawn
        "avg-wissen": r"\b(?:verwijder|wis)\w*\b[^.\n]{0,20}\b(?:al )?mijn (?:persoons)?gegevens\b|"
        r"\bmijn (?:persoons)?gegevens\b[^.\n]{0,30}\b(?:te )?(?:verwijderen|wissen|vernietigen)\b|"
        r"\brecht op (?:vergetelheid|gegevenswissing|verwijdering)\b|"
        r"\bverzoek (?:tot|om) (?:verwijdering|wissing|gegevensverwijdering)\b",
        "avg-bezwaar": r"\bbezwaar\b[^.\n]{0,30}\b(?:verwerking|gebruik) van mijn\b|"
        r"\btrek\w* (?:ik |hierbij )*mijn toestemming\b|\bmijn toestemming\b[^.\n]{0,20}"
        r"\bin ?(?:te )?trekken\b",
        "geen-post-gewenst": r"\b(?:wil|wens|hoef)\w* (?:ik |wij |we )?"
        r"(?:graag |hierna |voortaan )?geen (?:verdere |nadere |andere )?(?:e-?mails?|berichten|"
        r"correspondentie|communicatie|mailings?|nieuwsbrieven?|reclame|aanbiedingen)\b|"
        r"\b(?:stuur|mail)\w* (?:mij|me|ons) (?:voortaan |alstublieft |aub |a\.u\.b\. )?"
        r"(?:niet (?:meer|langer)|geen (?:e-?mails?|berichten|nieuwsbrieven?))\b",
        "nooit-aangemeld": r"\bnooit (?:voor )?(?:aangemeld|ingeschreven)\b|"
        r"\bhoe (?:komen jullie|komt u|"
        r"bent u|zijn jullie)\b[^.\n?]{0,30}\be-?mailadres\b",
        "afmelden-kaal": r"^\s*(?:graag |gelieve |svp |a\.u\.b\. )?afmelden[.!]?\s*(?:$|\n)",
    },
) + _table(
    "en",
    {
        "unsubscribe": r"\bunsubscribe\b|\bopt(?:-| )out\b",
        "remove-me": r"\bremove (?:me|my (?:e-?mail|address|details))\b[^.\n]{0,30}\b(?:list|"
        r"mailing|"
        r"database)?|\bstop (?:sending|emailing|mailing)\b|\bno (?:more|longer) (?:e-?mails|"
        r"mail)\b",
        "never-signed-up": r"\bnever (?:signed up|subscribed|registered)\b",
        # the GDPR: erasure, objection, consent withdrawn, no further mail
        "gdpr-erasure": r"\b(?:eras(?:e|ure)|delet(?:e|ion)|remov(?:e|al))\b[^.\n]{0,30}"
        r"\b(?:data|details|information)\b[^.\n]{0,30}\b(?:about me|of mine|on me)\b|"
        r"\b(?:eras(?:e|ure)|delet(?:e|ion)|remov(?:e|al)) (?:of )?(?:all )?my (?:personal )?"
        r"(?:data|details|information|contact details)\b|\bright to (?:erasure|be forgotten)\b",
        "gdpr-objection": r"\bobject to (?:the )?(?:processing|use) of my\b|"
        r"\bwithdraw (?:my )?consent\b",
        "no-further-mail": r"\b(?:no|not|don't) (?:wish|want|desire)\b[^.\n]{0,10}\bto receive "
        r"(?:any )?(?:further |more |other )?(?:e-?mails|mails|messages|communications?|"
        r"newsletters|mailings|marketing)\b|\bstop all (?:e-?mails|mail|communications?|contact)\b",
    },
)
# A request to see one's data (AVG/GDPR art. 15) needs a person: it is neither
# an unsubscribe nor a question the offer answers.
ACCESS_REQUEST_TEXT: Table = _table(
    "nl",
    {
        "inzageverzoek": r"\binzage ?verzoek\b|\bverzoek (?:tot|om) inzage\b|"
        r"\binzage in (?:mijn|de) (?:persoons)?gegevens\b|\bwelke (?:persoons)?gegevens\b"
        r"[^.?\n]{0,40}\b(?:van mij|over mij|bewaart|bewaren|verwerkt|verwerken|vastgelegd)\b",
    },
) + _table(
    "en",
    {
        "access-request": r"\bsubject access request\b|\bright of access\b|"
        r"\baccess to (?:my|the) personal data\b|\bwhat (?:personal )?(?:data|information) "
        r"(?:do you|you) (?:hold|have|keep|store|process)\b|\bcopy of (?:my|the|all) "
        r"(?:personal )?data\b",
    },
)

# --- cancellation (per sentence; questions about terms are not cancellations) ---
# "afmelden" means cancelling when a session is named, unsubscribing when none is.
AFMELDEN_RE = re.compile(r"\b(?:afmelden|meld (?:me|mij|ons) af)\b")
SESSION_CONTEXT_RE = re.compile(
    r"\b(?:workshop|sessie|training|cursus|bijeenkomst|datum|dag|optie|morgen|maandag|dinsdag|"
    r"woensdag|donderdag|vrijdag|jan\w*|feb\w*|maart|mrt|apr\w*|mei|jun\w*|jul\w*|aug\w*|"
    r"sep\w*|okt\w*|nov\w*|dec\w*)\b|\d"
)

CANCEL_TEXT: Table = _table(
    "nl",
    {
        "kan-niet-komen": r"\b(?:kan|kunnen|kom|komen|ben|zijn|zal|zullen)\b[^.\n?]{0,40}\bniet\b"
        r"[^.\n?]{0,15}\b(?:meer )?(?:mee|komen|aanwezig(?: zijn)?|deelnemen|erbij zijn|meedoen)\b",
        "afmelden-voor": r"\b(?:afmelden|meld(?:t|en)? (?:ik|we|wij|u)?\s*(?:me|mij|ons|haar|hem|"
        r"hen|zich)? ?af)\b[^.\n]{0,40}\b(?:workshop|sessie|training|bijeenkomst|cursus|dag|"
        r"\d{1,2} (?:jan|feb|maa|mrt|apr|mei|jun|jul|aug|sep|okt|nov|dec)\w*)\b|"
        r"\bmeld(?:t|en)? (?:ik|we|wij)? ?(?:me|mij|ons|haar|hem|hen) af\b",
        "annuleren": r"\b(?:annuleer|annuleren|afzeggen|zeg (?:ik |we )?af|trek (?:ik |we )?"
        r"(?:me|mij|ons) terug|inschrijving intrekken)\b",
    },
) + _table(
    "en",
    {
        "cannot-attend": r"\b(?:can't|cannot|can not|won't|will not|unable to|not able to|"
        r"no longer able to)"
        r"\b[^.\n?]{0,20}\b(?:make it|attend|come|join|participate|be there)\b",
        "cancel": r"\bcancel(?:l?ing)? (?:my|our|his|her|their|the)\b[^.\n]{0,30}\b(?:registration|"
        r"booking|place|spot|seat|participation|attendance)\b|\b(?:have|need|want|"
        r"writing) to cancel\b|"
        r"\bwithdraw (?:my|our|his|her)\b",
    },
)
CANCEL_QUESTION = re.compile(
    r"\b(?:wat (?:zijn|is)|hoe|kan ik (?:kosteloos )?|is het mogelijk|what (?:are|is)|how|can i|"
    r"is it possible)\b[^?]*\?|\bvoorwaarden\b|\bterms\b|\bpolicy\b"
)

# --- a wish to register, with or without a session named (per sentence) ---
# In a reply to our offer such a sentence is a date choice even when no offered
# session can be recognised in it: the workflow then asks again, with the options.
REGISTER_TEXT: Table = _table(
    "nl",
    {
        "aanmelden": r"\bmeld(?:t|en)? (?:ik |we |wij |u )?(?:me|mij|ons|mezelf) "
        r"(?:\w+ ){0,2}aan\b|"
        r"\b(?:me|mij|ons|mezelf) (?:\w+ ){0,2}(?:aanmelden|inschrijven|opgeven)\b|"
        r"\bgraag (?:\w+ ){0,3}(?:aanmelden|inschrijven)\b|\b(?:aanmelden|inschrijven) graag\b|"
        r"\bschrijf (?:me|mij|ons) (?:\w+ ){0,2}in\b|"
        r"\b(?:ik|wij|we) (?:wil|willen|zou|zouden) (?:\w+ ){0,2}(?:deelnemen|meedoen)\b|"
        r"\bdoe(?:n)? (?:ik|wij|we) (?:graag )?mee\b",
    },
) + _table(
    "en",
    {
        "register": r"\bsign (?:me|us) up\b|\bregister (?:me|us)\b|\bplease register\b|"
        r"\b(?:like|love|want|wish) to (?:sign up|register|enrol|enroll|join|attend|"
        r"participate|take part)\b|\b(?:book|count|put) (?:me|us) (?:in|down)\b|"
        r"\benrol(?:l)? (?:me|us)\b",
    },
)
# Undecided between sessions named in the same sentence.
UNDECIDED_TEXT: Table = _table(
    "nl",
    {"twijfel": r"\btwijfel\w*\b|\bweet (?:nog )?niet (?:welke|of)\b|\bkan niet kiezen\b"},
) + _table(
    "en",
    {
        "undecided": r"\bnot sure (?:which|whether|if)\b|\bundecided\b|\bcan(?:'t|not) decide\b|"
        r"\btorn between\b"
    },
)
# Negation that turns a registration phrase around ("ik kan me nog niet aanmelden"),
# and talk about registering rather than doing it ("informatie over het aanmelden").
REGISTER_NEGATION_RE = re.compile(
    r"\b(?:niet|geen|nog even|not|don't|won't|can't|cannot|informatie|info|information|"
    r"misschien|mogelijk|eventueel|later|maybe|perhaps|possibly|"
    r"over (?:het |de )?(?:aanmelden|inschrijven)|about (?:the )?(?:registration|registering|"
    r"signing up))\b"
)

# --- other: misdirected and internal mail ---
MISDIRECTED_TEXT: Table = _table(
    "nl",
    {
        "niet-bedoeld": r"\bniet voor (?:jullie|u|jou) bedoeld\b|\bverkeerde (?:adres|ontvanger)\b|"
        r"\bper ongeluk (?:naar|aan) (?:jullie|u|jou)\b",
    },
) + _table(
    "en",
    {
        "not-meant": r"\bnot (?:meant|intended) for you\b|\bsent (?:to you )?(?:in error|"
        r"by mistake)\b|"
        r"\bwrong (?:address|recipient)\b",
    },
)

# --- inquiry: a question or a request about the workshop ---
# Each phrase is a way of asking; WORKSHOP_TOPIC says what about. An inquiry
# needs both (see classify.is_inquiry).
INQUIRY_TEXT: Table = _table(
    "nl",
    {
        "informatie": r"\b(?:informatie|info|brochure|offerte|prijsopgave|programma|tarieven?|"
        r"kosten)\b",
        "vraag": r"\b(?:vraag|vragen|benieuwd|mogelijk(?:heden)?|graag ontvang ik|zou(?:den)? "
        r"(?:ik|we|wij) graag|kun(?:t|nen)? (?:je|u|jullie)|is er|zijn er|wat (?:is|zijn|kost))\b",
        "in-company": r"\bin-?company\b|\bmaatwerk\b|\bop locatie\b",
        "plek": r"\b(?:nog )?plek\b|\bplaatsen? (?:vrij|beschikbaar)\b",
        # interest stated is a request for the details ("belangstelling; graag de data")
        "belangstelling": r"(?<!geen )\b(?:belangstelling|interesse) (?:voor|in)\b|"
        r"\bge[iï]nteresseerd in\b|\bgraag (?:de |meer |nadere |verdere )?(?:data|informatie|info|"
        r"details)\b",
        "wanneer": r"\bwanneer (?:is|zijn|wordt|worden|geef|geeft|geven|start|begint|kan|kunnen|"
        r"komt|organiseer|organiseert|organiseren)\b|\bhoeveel (?:kost|kosten|plekken|plaatsen)\b",
        "hoor-graag": r"\bhoor (?:ik |we |wij )?graag\b|\bverneem (?:ik |we |wij )?graag\b|"
        r"\blaat (?:u|je|jij|jullie) (?:mij|me|ons) (?:even )?weten\b|\bhoe (?:kan |kunnen )?"
        r"(?:ik|we|wij)\b[^.?\n]{0,25}\b(?:aanmelden|inschrijven|meedoen|mee (?:kan|kunnen) doen|"
        r"deelnemen|aansluiten|instappen)\b",
    },
) + _table(
    "en",
    {
        "information": r"\b(?:information|info|brochure|quote|quotation|programme|program|"
        r"fees?|price|"
        r"rates?|costs?)\b",
        "question": r"\b(?:would it be possible|is it possible|could you|can you|would you|"
        r"are there|"
        r"is there|would like to (?:join|attend|know|book|organi[sz]e)|interested in|"
        r"looking for)\b",
        "in-house": r"\bin-?house\b|\btailored\b|\bon-?site\b",
        # British and formal ways of asking, and asking when
        "enquiry": r"\benquir(?:e|y|ies|ing)\b|\binquir(?:e|ing)\b|\b(?:let me|let us) know\b|"
        r"\b(?:like|love|want) to know\b|\bgrateful if\b|\b(?:i|we) (?:was|were) wondering\b|"
        r"\bplease (?:could you |can you |would you )?(?:send|share|tell|e-?mail)\b|"
        r"\b(?:could|can|would) you (?:please )?(?:send|share|tell|e-?mail)\b",
        "when": r"\bwhen (?:is|are|will|do|does|can|would)\b|\bwhen the next\b|"
        r"\bhow much (?:is|does|do|are|will|would)\b",
    },
)
WORKSHOP_TOPIC = re.compile(
    r"\b(?:workshops?|trainings?|trainingen|sessies?|sessions?|cursus(?:sen)?|courses?|leergang|"
    r"bijeenkomst|editie|edition|aanmelden|inschrijven|deelnemen|deelname|meedoen|instappen|"
    r"register|attend|join|participate|enrol|enroll|sign up|dates|plek|plekken|places|"
    r"seats|in-?company|in-?house)\b|"
    # Dutch "data" are dates; English "data" is not the workshop
    r"\b(?:de|nieuwe|volgende|welke|andere|jullie|uw|je|deze|die) data\b"
)
# Requests for the organiser to speak or teach elsewhere: not a question about
# joining the workshop, a person answers them.
SPEAKER_REQUEST_RE = re.compile(
    r"\bguest (?:lecture|lesson|speaker|talk)\b|\bgast(?:college|les|spreker)\b|\bkeynote\b|"
    r"\b(?:als|as) (?:spreker|speaker|dagvoorzitter)\b"
)

# --- language detection: frequent function words ---
NL_WORDS = frozenset(
    [
        "de",
        "het",
        "een",
        "en",
        "van",
        "ik",
        "je",
        "jij",
        "u",
        "we",
        "wij",
        "ons",
        "onze",
        "is",
        "zijn",
        "niet",
        "met",
        "voor",
        "op",
        "aan",
        "dat",
        "die",
        "dit",
        "er",
        "maar",
        "ook",
        "als",
        "bij",
        "naar",
        "om",
        "te",
        "kan",
        "wil",
        "graag",
        "heb",
        "hebben",
        "wordt",
        "nog",
        "wel",
        "dank",
        "groet",
        "beste",
        "hoi",
        "hallo",
        "bedankt",
        "mijn",
        "jullie",
        "uw",
        "over",
        "tot",
        "zou",
    ]
)
EN_WORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "and",
        "of",
        "i",
        "you",
        "we",
        "our",
        "us",
        "is",
        "are",
        "not",
        "with",
        "for",
        "on",
        "to",
        "that",
        "this",
        "there",
        "but",
        "also",
        "as",
        "at",
        "by",
        "can",
        "would",
        "like",
        "have",
        "has",
        "be",
        "will",
        "your",
        "my",
        "thanks",
        "thank",
        "dear",
        "hi",
        "hello",
        "regards",
        "best",
        "it",
        "in",
        "from",
        "please",
        "could",
    ]
)
