"""Phrases of machine mail (pure data).

Owns the text evidence that a system wrote a message, for when its headers do
not say so: automatic replies and absence notices, bulk mail without list
headers, spam and phishing (told by what they do, not by their topic), and the
brands phishing dresses up as. reading/machine.py reads them.
"""

from __future__ import annotations

import re

from . import Table, _table

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
# What an absence notice adds to the absence: whom to ask meanwhile, or when an
# answer may be expected.
AUTO_REPLY_REFERRAL = re.compile(
    r"\b(?:dringend|urgent|spoed|in (?:the )?(?:meantime|mean time)|intussen|tijdens mijn "
    r"afwezigheid|during my absence|(?:neem|nemen) (?:dan )?contact op|contact (?:my|our) "
    r"colleague|please contact|kunt u contact|kun je contact|mijn collega|my colleague|"
    r"wordt (?:niet )?doorgestuurd|will (?:not )?be forwarded|(?:ik )?(?:reageer|antwoord) "
    r"(?:zo snel mogelijk|na)|(?:i will|i'll) (?:reply|respond|answer|get back)|"
    r"(?:ben|is) (?:weer|vanaf)|(?:terug|back) (?:op|on|vanaf|from)|return(?:ing)? on|"
    r"tot (?:en met )?(?:\d|maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag)|t/m|"
    r"until|till|(?:will|shall|'ll) (?:get back|reply|respond|answer)|as soon as possible|"
    r"zo (?:snel|spoedig) mogelijk|z\.s\.m|(?:e-?)?mail niet|no access to (?:my )?e-?mail|"
    r"not (?:be )?(?:checking|reading) (?:my )?e-?mail)"
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
        r"pas|vermelding|registratie|profiel|bedrijfsprofiel|domeinnaam|website)\b[^.\n]{0,40}\b(?:geblokkeerd|opgeschort|gedeactiveerd|afgesloten)\b",
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
        # pay an amount into an account number the mail itself gives
        "betaal-rekening": r"\b(?:over (?:te )?maken|overmaken|maak|storten|voldoen|betalen)\b"
        r"[^.\n]{0,30}\b(?:op|naar)\b (?:iban|rekening(?:nummer)?|bankrekening)\b:? ?"
        r"[a-z]{2}\d{2} ?[a-z]{4}",
        "incasso": r"\b(?:incassokosten|incassobureau|deurwaarder)\b",
        # a registration we never had: keep a listing by signing a contract
        "vermelding-behouden": r"\b(?:uw|je) (?:vermelding|bedrijfsvermelding|bedrijfsregistratie|"
        r"registratie)\b[^.\n]{0,60}\b(?:te )?(?:behouden|handhaven|verlengen|actualiseren)\b|"
        r"\bregistratieformulier\b[^.\n]{0,60}\b(?:te )?(?:ondertekenen|tekenen|retourneren)\b|"
        r"\blooptijd (?:van )?\d+ (?:jaar|jaren|maanden)\b",
        "pakket": r"\b(?:je|uw) pakket\b",
        "berichten-vast": r"\b\d+\s(?:nieuwe |inkomende )?(?:berichten|e-?mails)\s(?:in de "
        r"wachtrij|vastgehouden|in quarantaine|(?:zijn )?niet afgeleverd)\b",
        "klik-link": r"\bklik (?:hier|op (?:de|onderstaande) (?:link|knop))\b|"
        r"\bvia (?:de )?onderstaande (?:link|knop)\b",
        # a deadline in hours: what pressure to act without thinking looks like
        "binnen-uur": r"\bbinnen (?:\d+|vierentwintig|achtenveertig) uur\b",
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
        r"\b(?:bestand|database|lijst) (?:met|van) (?:\d{1,3}(?:\.\d{3})+|\d+) "
        r"(?:e-?mail)?(?:adressen|contacten|contactpersonen)\b|"
        r"\b\d{1,3}(?:\.\d{3})+\s(?:contactpersonen|beslissers|contacten)\b",
        "prijsactie": r"\bintroductiekorting\b|\bnu met \d+ ?% (?:\w+)?korting\b|"
        r"\b(?:nu )?(?:voor )?slechts (?:€|eur)\s?\d|\bfor only [$€£]\s?\d|"
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
        "within-hours": r"\bwithin (?:\d+|twenty-four|forty-eight) hours\b",
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
        r"(?:list|database)s? (?:of|with|for)\b|\binterested in (?:acquiring|purchasing|buying|"
        r"obtaining|licensing) (?:the|our|an?|this)\b",
        # a count in the thousands of the people on sale
        "data-count": r"\b\d{1,3}(?:,\d{3})+\s(?:verified |validated |opt-in )?(?:contacts|"
        r"e-?mail addresses|decision[- ]makers|civil servants|records|leads)\b",
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
