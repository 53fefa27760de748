"""Names and organisations of senders (pure).

Owns telling a person's name from an organisation's ("Brink, Marloes" is
Marloes Brink, "Gemeente Zwolle" is nobody's name), finding the organisation in
a signature or a sentence ("ik werk bij de gemeente Tilburg"), and typing it as
gemeente, provincie, waterschap, zbo, rijksoverheid or other, from its name and
the sender's domain.
"""

from __future__ import annotations

import re

# Words that make a display name or a line an organisation (lower-case, whole words).
ORG_WORDS = (
    "gemeente", "municipality", "provincie", "provinsje", "province", "ministerie", "ministry",
    "waterschap", "wetterskip", "hoogheemraadschap", "omgevingsdienst", "veiligheidsregio",
    "university", "universiteit", "hogeschool", "authority", "havenbedrijf", "port of",
    "coöperatie", "cooperatie", "buurtcoöperatie", "stichting", "vereniging", "advies", "b.v.",
    "bv", "n.v.", "rijkswaterstaat", "belastingdienst", "academie", "academy", "kennispunt",
    "instituut", "institute", "ggd", "dienst", "agency", "bureau", "council", "college",
    "rijksoverheid", "raad", "bank", "group", "groep", "company", "ltd", "inc", "gmbh",
)  # fmt: skip
# Words that make a display name a system or a team, never a person.
SYSTEM_WORDS = (
    "mail delivery", "subsystem", "systeembeheer", "postmaster", "mailer", "helpdesk",
    "service", "support", "team", "noreply", "no-reply", "alerts", "nieuwsbrief", "newsletter",
    "redactie", "info", "administrator", "beheerder", "klantenservice", "customer",
    "notification", "community", "via", "secretariaat", "communicatie", "relations", "nieuws",
    "news", "updates", "marketing", "sales", "office", "receptie", "reception", "admin",
)  # fmt: skip
ORG_RE = re.compile(
    r"(?<![\w-])(?:" + "|".join(re.escape(w) for w in ORG_WORDS) + r")(?![\w-])", re.IGNORECASE
)
SYSTEM_RE = re.compile(
    r"(?<![\w-])(?:" + "|".join(re.escape(w) for w in SYSTEM_WORDS) + r")", re.IGNORECASE
)
# Job titles: a signature line with one of these is a function, not the organisation.
TITLE_WORDS_RE = re.compile(
    r"(?:leider|adviseur|medewerker|manager|officer|director|directeur|coördinator|coordinator|"
    r"specialist|assistant|assistent|beleids|hoofd|head of|lecturer|researcher|onderzoeker|"
    r"voorzitter|secretaris|consultant|advisor|adviser|projectleider|wethouder|burgemeester|"
    r"regisseur|verlener|makelaar|trainer|docent|teacher|professor|engineer|ontwikkelaar)",
    re.I,
)
ORG_TYPES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("gemeente", re.compile(r"\b(?:gemeente|municipality|stadsdeel|city of)\b", re.I)),
    ("provincie", re.compile(r"\b(?:provincie|provinsje|province)\b", re.I)),
    ("waterschap", re.compile(r"\b(?:waterschap|wetterskip|hoogheemraadschap|water board|"
                              r"waterboard)\b", re.I)),
    ("rijksoverheid", re.compile(r"\b(?:ministerie|ministry|rijkswaterstaat|belastingdienst|"
                                 r"rijksoverheid|rijksdienst|inspectie|rvo|ind|dji)\b", re.I)),
    ("zbo", re.compile(r"\b(?:cbr|uwv|rdw|svb|kadaster|cbs|kvk|afm|nza|cak|duo|rvdk|coa|"
                       r"staatsbosbeheer|zorginstituut|kiesraad)\b", re.I)),
)  # fmt: skip
# Dutch municipalities by the name they use as their mail domain (<name>.nl). A
# module constant, no network: a domain not listed here is simply not typed.
_GEMEENTE_NAMES = """
    aaenhunze aalsmeer aalten achtkarspelen alblasserdam albrandswaard alkmaar almelo almere
    alphenaandenrijn alphen-chaam altena ameland amersfoort amstelveen amsterdam apeldoorn
    arnhem assen asten baarle-nassau baarn barendrecht barneveld beek beekdaelen beesel
    bergeijk bergen bergen-nh bergenopzoom berkelland bernheze best beuningen
    beverwijk bladel blaricum bloemendaal bodegraven-reeuwijk boekel borger-odoorn borne
    borsele boxtel breda brielle bronckhorst brummen brunssum bunnik bunschoten buren
    capelleaandenijssel
    castricum coevorden cranendonck culemborg dalfsen dantumadiel debilt defryskemarren
    denhaag denhelder delft deurne deventer diemen dijkenwaard dinkelland doesburg
    doetinchem dongen dordrecht drechterland drimmelen dronten druten duiven echt-susteren
    edam-volendam ede eemnes eemsdelta eersel eijsden-margraten eindhoven elburg emmen
    enkhuizen enschede epe ermelo etten-leur geertruidenberg geldrop-mierlo gemert-bakel
    gennep gilzerijen goeree-overflakkee goes goirle gooisemeren gorinchem gouda groningen
    gulpen-wittem haaksbergen haaren haarlem haarlemmermeer halderberge hardenberg
    harderwijk hardinxveld-giessendam harlingen hattem heemskerk heemstede heerde heerenveen
    heerlen heeze-leende heiloo hellendoorn helmond hendrik-ido-ambacht hengelo s-hertogenbosch
    heumen heusden hillegom hilvarenbeek hilversum hoekschewaard hofvantwente hollandskroon
    hoogeveen hoorn horstaandemaas houten huizen hulst ijsselstein kaagenbraassem kampen
    kapelle katwijk kerkrade koggenland krimpenaandenijssel krimpenerwaard laarbeek
    land-van-cuijk landgraaf landsmeer lansingerland laren leeuwarden leiden leiderdorp
    leidschendam-voorburg lelystad leudal leusden lingewaard lisse lochem loon-op-zand
    lopik losser maasdriel maasgouw maashorst maassluis maastricht medemblik meerssen meierijstad
    meppel middelburg middendelfland midden-drenthe midden-groningen moerdijk molenlanden
    montferland montfoort mook noardeast-fryslan neder-betuwe nederweert nieuwegein nieuwkoop
    nijkerk nijmegen nissewaard noordenveld noordoostpolder noordwijk nuenen nunspeet oegstgeest
    oirschot oisterwijk oldambt oldebroek oldenzaal olst-wijhe ommen oostgelre oosterhout
    ooststellingwerf oostzaan opmeer opsterland oss oudewater overbetuwe papendrecht
    peelenmaas pekela pijnacker-nootdorp purmerend putten raalte reimerswaal renkum renswoude
    reuseldemierden rheden rhenen ridderkerk rijssen-holten rijswijk roerdalen roermond
    roosendaal rotterdam rozendaal rucphen schagen scherpenzeel schiedam schiermonnikoog
    schouwen-duiveland simpelveld sint-michielsgestel sittard-geleen sliedrecht sluis smallingerland
    soest someren sonenbreugel stadskanaal staphorst stedebroec steenbergen steenwijkerland
    stein stichtsevecht sudwestfryslan terneuzen terschelling texel teylingen tholen tiel
    tilburg tubbergen twenterand tynaarlo tytsjerksteradiel uitgeest uithoorn urk utrecht
    utrechtseheuvelrug vaals valkenburg valkenswaard veendam veenendaal veere veldhoven velsen
    venlo venray vijfheerenlanden vlaardingen vlieland vlissingen voerendaal voorne-aan-zee
    voorschoten voorst vught waadhoeke waalre waalwijk waddinxveen wageningen wassenaar
    waterland weert west-betuwe westerkwartier westerveld westervoort westerwolde westland
    weststellingwerf wierden wijchen wijdemeren wijkbijduurstede winterswijk woensdrecht
    woerden wormerland woudenberg zaanstad zaltbommel zandvoort zeewolde zeist zevenaar
    zoetermeer zoeterwoude zuidplas zundert zutphen zwartewaterland zwijndrecht zwolle
"""
GEMEENTE_DOMAINS = frozenset(_GEMEENTE_NAMES.split())
# The twelve provinces' own domains (several share a name with a municipality:
# utrecht.nl is the city, provincie-utrecht.nl the province).
_PROVINCIE_NAMES = """
    fryslan.frl drenthe.nl overijssel.nl flevoland.nl gelderland.nl provincie-utrecht.nl
    noord-holland.nl zuid-holland.nl zeeland.nl brabant.nl prvlimburg.nl limburg.nl
    provinciegroningen.nl
"""
PROVINCIE_DOMAINS = frozenset(_PROVINCIE_NAMES.split())
DOMAIN_TYPES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("rijksoverheid", re.compile(r"(?:^|\.)(?:min[a-z]{2,8}|rijksoverheid|rws|belastingdienst|"
                                 r"rvo|ind|dji|minbuza|minvws|minfin|cjib|logius|nvwa|ilent|"
                                 r"rvig)\.nl$|(?:^|[.-])ministerie")),
    ("zbo", re.compile(r"(?:^|\.)(?:cbr|uwv|rdw|svb|kadaster|cbs|kvk|afm|nza|cak|duo|coa|"
                       r"staatsbosbeheer|zorginstituutnederland|kiesraad|acm|"
                       r"autoriteitpersoonsgegevens)\.nl$")),
    ("provincie", re.compile(r"(?:^|\.)provincie[a-z-]*\.nl$")),
    ("waterschap", re.compile(r"(?:waterschap|wetterskip|hoogheemraadschap|^hh[a-z]+\.nl$|"
                              r"wdodelta|wrij\.nl|aaenmaas|dommel|vechtstromen|zuiderzeeland|"
                              r"hunzeenaas|noorderzijlvest|waternet|hdsr|rijnland|scheldestromen|"
                              r"rivierenland|vallei|brabantsedelta|wshd\.nl|wsrl\.nl)")),
    ("gemeente", re.compile(r"(?:^|[.-])gemeente")),
)  # fmt: skip
TITLES_RE = re.compile(
    r"^(?:dr|drs|ir|ing|mr|prof|mrs|ms|mw|dhr|mevr|mevrouw|de heer|bc|msc|ma|ba)\.?\s+", re.I
)
NAME_WORD_RE = re.compile(
    r"^[A-ZÀ-Ý][\w'’-]*\.?$|^(?:van|de|der|den|het|ter|ten|te|la|le|el|da|"
    r"di|du|von|in|'t|vd)$"
)
UNIT_WORDS_RE = re.compile(
    r"^\s*(?:wijkbureau|afdeling|team|directie|cluster|sector|dienst|"
    r"stadsdeel|unit|department|dept)\b",
    re.I,
)
AT_ORG_RE = re.compile(
    r"\b(?:bij|by|at|from)\s+(?:de\s+|het\s+|the\s+)?((?i:gemeente|provincie|provinsje|"
    r"ministerie|ministry|municipality|waterschap|wetterskip|omgevingsdienst|hogeschool|"
    r"universiteit)\b[^.,;:()\n]{2,60}|[A-Z][\w&'’.-]*(?:\s+(?:[A-Z][\w&'’.-]*|of|for|van|de|der|"
    r"voor|en|&))*\s+(?:University|Universiteit|Authority|Hogeschool)\b[^.,;:()\n]{0,40})"
)
KEYWORD_START_RE = re.compile(
    r"^(?:[A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){0,3} \| )?(?:gemeente|provincie|provinsje|ministerie|"
    r"ministry of|municipality of|waterschap|wetterskip|hoogheemraadschap|omgevingsdienst)\b",
    re.I,
)
_TRAIL_RE = re.compile(r"\s+(?:in|at|te|for|voor|and|en|met|with|wil|wilt|willen|is|zijn)\b.*$")


def _clean(line: str) -> str:
    return " ".join(line.replace("\u00a0", " ").split()).strip(" |,-*_")


def _flip(name: str) -> str:
    """ "Brink, Marloes" -> "Marloes Brink"; "Heuvel, Nicole van den" -> "Nicole van den Heuvel"."""
    name = re.sub(r"\s*\([^)]*\)", "", name).strip()
    if name.count(",") == 1:
        last, first = (p.strip() for p in name.split(","))
        words = first.split()
        particles: list[str] = []
        while words and words[-1].lower() in (
            "van",
            "de",
            "der",
            "den",
            "het",
            "ter",
            "ten",
            "te",
            "la",
            "le",
        ):
            particles.insert(0, words.pop())
        if words and last:
            return " ".join([*words, *particles, last])
    return name


def looks_like_person(name: str, addr: str) -> bool:
    if not name or "@" in name or ORG_RE.search(name) or SYSTEM_RE.search(name):
        return False
    words = name.split()
    if not 1 <= len(words) <= 5 or not all(NAME_WORD_RE.match(w) for w in words):
        return False
    local, _, domain = addr.lower().partition("@")
    tokens = [re.sub(r"[^a-z]", "", w.lower()) for w in words]
    tokens = [t for t in tokens if len(t) >= 3]
    squashed = re.sub(r"[^a-z]", "", local)
    if any(t in squashed for t in tokens):
        return True
    if tokens and all(t in domain for t in tokens):
        return False  # "Publiek Bestuur Vandaag" <redactie@publiekbestuurvandaag.nl>
    return len(words) >= 2


def person_name(display: str, addr: str, signature: str, text: str) -> str | None:
    display = re.sub(r"\s+via\s+.*$", "", display.strip(), flags=re.I)
    candidate = _flip(display)
    candidate = TITLES_RE.sub("", candidate).strip()
    sig_lines = [line for line in map(_clean, signature.split("\n")) if line]
    tail = [line for line in map(_clean, text.rsplit("\n", 4)[-4:]) if line]
    tokens = {w.lower().strip(".") for w in candidate.split() if len(w.strip(".")) >= 2}
    # a fuller form of the name in the signature ("Sophie Laurent" for "Laurent, S.")
    for line in sig_lines + tail:
        line = TITLES_RE.sub("", line.split("|")[0].strip()).strip()
        words = line.split()
        if not 2 <= len(words) <= 5 or not all(NAME_WORD_RE.match(w) for w in words):
            continue
        if ORG_RE.search(line) or SYSTEM_RE.search(line):
            continue
        low = {w.lower().strip(".") for w in words}
        if any(re.fullmatch(r"[A-Z]\.", w) for w in words) and looks_like_person(candidate, addr):
            continue  # "M. Terpstra" says less than "Monique Terpstra"
        if (
            tokens
            and len(tokens & low) >= 1
            and (len(words) >= len(candidate.split()) or not looks_like_person(candidate, addr))
        ):
            return line
    if looks_like_person(candidate, addr):
        return candidate
    return None


def _org_from_line(line: str) -> str | None:
    segments = [s.strip() for s in line.split("|")]
    for i, segment in enumerate(segments):
        m = ORG_RE.search(segment)
        if not m:
            continue
        if (
            i == 0
            and len(segments) > 1
            and m.start() == 0
            and re.match(r"(?i)stadsdeel|district|borough", segments[1])
        ):
            return _clean(line)  # "Gemeente Amsterdam | Stadsdeel Nieuw-West" is one body
        if "," in segment:
            head, rest = segment.split(",", 1)
            if UNIT_WORDS_RE.match(rest) or (ORG_RE.search(head) and ORG_RE.search(rest)):
                segment = head
        segment = re.sub(
            r"^(?:voorzitter|directeur|lid|medewerker|adviseur)\s+", "", segment, flags=re.I
        )
        return _clean(segment)
    return None


def find_organisation(
    signature: str, text: str, display: str, addr: str, name: str | None
) -> str | None:
    lines = [_clean(line) for line in signature.split("\n")]
    lines = [
        line
        for line in lines
        if line
        and len(line) <= 80
        and "@" not in line
        and not line.lower().startswith(("www.", "http", "t ", "m ", "tel", "postbus"))
    ]
    for line in lines[1:10] if len(lines) > 1 else lines:
        if name and line == name:
            continue
        org = _org_from_line(line)
        if org:
            return org
    for line in text.split("\n"):
        line = _clean(line)
        m = KEYWORD_START_RE.match(line)
        if len(line) <= 80 and m and line[m.end() :].strip()[:1].isupper():
            org = _org_from_line(line)
            if org:
                return org
    m = AT_ORG_RE.search(text)
    if m:
        org = _TRAIL_RE.sub("", _clean(m.group(1)))
        if org:
            return _strip_suffix(org[0].upper() + org[1:])
    # a short signature block: name, then the organisation (no keyword needed)
    if name and len(lines) >= 2:
        for i, line in enumerate(lines[:-1]):
            if line == name:
                for nxt in lines[i + 1 : i + 4]:
                    if TITLE_WORDS_RE.search(nxt):
                        continue
                    if _plausible_org(nxt):
                        return nxt
                    break
    display = _flip(re.sub(r"\s*\|.*$", "", display).strip())
    display = _strip_suffix(display)
    if (
        display[:1].isupper()
        and not looks_like_person(display, addr)
        and not SYSTEM_RE.search(display)
    ):
        return display
    return None


def _strip_suffix(org: str) -> str:
    return re.sub(
        r"\s+(?:customer service|support|klantenservice|helpdesk|team)$", "", org, flags=re.I
    )


def _plausible_org(line: str) -> bool:
    words = line.split()
    return (
        1 <= len(words) <= 5
        and all(w[:1].isupper() or w.lower() in ("van", "de", "en", "&", "voor") for w in words)
        and not any(ch.isdigit() for ch in line)
    )


def domain_org_type(addr: str) -> str | None:
    """The kind of public body a mail domain belongs to, None when it does not say."""
    domain = addr.rpartition("@")[2].lower().strip(".")
    if not domain:
        return None
    # the registered domain: "mail.zwolle.nl" and "zwolle.nl" are the same body
    parts = domain.split(".")
    registered = ".".join(parts[-2:])
    if registered in PROVINCIE_DOMAINS:
        return "provincie"
    for kind, pattern in DOMAIN_TYPES:
        if pattern.search(domain):
            return kind
    if parts[-1] == "nl" and len(parts) >= 2 and parts[-2] in GEMEENTE_DOMAINS:
        return "gemeente"
    return None


def org_type_of(organisation: str | None, addr: str) -> str | None:
    """From the organisation's name first, then the sender's domain (issue 3);
    "other" for a named organisation of no known public kind, None when neither tells."""
    if organisation:
        for kind, pattern in ORG_TYPES:
            if pattern.search(organisation):
                return kind
    from_domain = domain_org_type(addr)
    if from_domain:
        return from_domain
    return "other" if organisation else None


# What a reply may say about the sender: only what it is sure of (issue 14).
# Words that end an organisation's name inside a sentence ("Ministerie van
# Binnenlandse Zaken maar mail even vanaf mijn privéadres").
_FRAGMENT_END_RE = re.compile(
    r"\s+(?:maar|but|omdat|because|want|dus|so|mail|mailt|mailen|stuur|schrijf|"
    r"ik|i|we|wij|je|jij|u|mijn|my|our|ons|onze|graag|please|via|vanaf|sinds|since|"
    r"hier|here|nu|now|al|already|ook|also|en\s+(?:ik|wij|we|mijn|ook)|and\s+(?:i|we|my))\b.*$",
    re.I,
)
# Lower-case words a name of an organisation may hold ("Ministerie van ... en ...").
_SMALL_WORDS = "van de der den het voor en of and the for in aan op bij te ter ten & on at la du"
_ORG_SMALL_WORDS = frozenset(_SMALL_WORDS.split())
# Parts after the body's name that are a unit of it, not the body.
_SEPARATOR_RE = re.compile(r"\s*(?:,|\||–|—|\s-\s|/)\s*")
# The names of a form service or a platform, never the sender's organisation.
_PLATFORM_RE = re.compile(
    r"^(?:jotform|typeform|google forms?|wordpress|wp mail smtp|phpmailer|formulier|"
    r"contactformulier|web ?form|website|linkedin|outlook|gmail|hotmail|zendesk|topdesk|"
    r"freshdesk|microsoft|teams|zoom)$",
    re.I,
)
_JOB_TITLE_RE = re.compile(
    TITLE_WORDS_RE.pattern + r"|\b(?:owner|lead|teamlead|staff|stagiair|intern|student|"
    r"griffier|raadslid|gedeputeerde|ambtenaar|strateeg|strategist|planner|analist|analyst|"
    r"controller|jurist|lawyer|communicatie|programma|program|project|senior|junior)\b",
    re.I,
)
# Signs of a body, strong enough that a segment holding one is the organisation.
_BODY_RE = re.compile("|".join(p.pattern for _, p in ORG_TYPES) + r"|" + ORG_RE.pattern, re.I)


def _is_job_title(segment: str) -> bool:
    return bool(_JOB_TITLE_RE.search(segment)) and not any(p.search(segment) for _, p in ORG_TYPES)


def tidy_organisation(organisation: str | None) -> str:
    """The organisation as a reply may name it, or "" when it is not sure.

    A job title or a unit beside the body is dropped ("Teamleider Wijkzaken,
    Gemeente Zwolle" -> "Gemeente Zwolle"; "Gemeente Gouda – Team Wijkgericht
    Werken" -> "Gemeente Gouda"); a sentence running on after the name is cut
    ("Ministerie van Binnenlandse Zaken maar mail even ..." -> "Ministerie van
    Binnenlandse Zaken"); a job title alone ("Community Engagement Advisor"), a
    form service ("Jotform") or text that still reads as a sentence gives "".
    """
    text = _clean(organisation or "")
    if not text:
        return ""
    text = _FRAGMENT_END_RE.sub("", text).strip(" ,.;:-")
    segments = [s for s in _SEPARATOR_RE.split(text) if s.strip()]
    # "IWGI – International Water Governance Institute": one body, spelled out
    acronym = len(segments) == 2 and re.fullmatch(r"[A-Z]{2,6}", segments[0]) is not None
    enumeration = re.search(r"\s(?:en|and|&)\s", segments[-1]) is not None
    unit_or_title = any(_is_job_title(s) or UNIT_WORDS_RE.match(s) for s in segments)
    if len(segments) > 1 and not unit_or_title and (acronym or enumeration):
        segments = [text]  # "Ministry of Health, Welfare and Sport" is one name
    if len(segments) > 1:
        bodies = [s for s in segments if not _is_job_title(s) and not UNIT_WORDS_RE.match(s)]
        strong = [s for s in bodies if any(p.search(s) for _, p in ORG_TYPES)]
        if strong:
            text = strong[0]
        elif len(bodies) == 1:
            text = bodies[0]
        else:
            return ""  # "Institute for Public Management, HU": which is the body?
    text = text.strip(" ,.;:-")
    if not text or _PLATFORM_RE.match(text) or _is_job_title(text) or UNIT_WORDS_RE.match(text):
        return ""
    words = text.split()
    if len(words) > 8 or "@" in text or any(ch in text for ch in '!?"()'):
        return ""
    for word in words:
        bare = re.sub(r"^['’]s-", "", word).strip(".,'’")
        if not any(ch.isalnum() for ch in bare):
            continue
        if bare[0].isupper() or bare[0].isdigit() or bare.lower() in _ORG_SMALL_WORDS:
            continue
        if ORG_RE.fullmatch(bare) or any(p.fullmatch(bare) for _, p in ORG_TYPES):
            continue  # "gemeente Barneveld", as the sender writes it
        return ""  # a lower-case word: part of a sentence, not a name
    if not words[0][:1].isupper() and not _BODY_RE.match(text):
        return ""
    return text


def reply_organisation(organisation: str | None) -> str:
    """What `organisation` in a reply template holds: a sure organisation, else ""."""
    return tidy_organisation(organisation)


# Words a greeting must never take for a first name.
_NOT_FIRST = """
    groet groeten groetjes gr grt vriendelijke hartelijke met regards kind best thanks thank
    cheers dank bedankt hoi hallo hello hi dear beste geachte beste team afdeling secretariaat
    info admin administratie receptie gemeente provincie waterschap ministerie dhr mevr mw mr
    mrs ms miss dr drs ir ing prof de van der den het ter ten te la le el da di du von sent
    verstuurd verzonden namens on behalf
"""
_NOT_FIRST_NAMES = frozenset(_NOT_FIRST.split())
_NOT_NAME_END_RE = re.compile(
    r"(?:centrum|center|centre|groep|group|bureau|dienst|zaken|beheer|support|service|desk|"
    r"team|office|kantoor|afdeling|secretariaat|administratie)$",
    re.I,
)


def greeting_name(name: str | None) -> str:
    """The first name a greeting may use ("Beste Karin,"), or "" when not sure.

    Sure means: a name the extractor took for a person, whose first word reads
    as a first name: not an initial ("J."), a title ("Dhr."), a closing word
    ("Groetjes"), or the name of a place or team ("Vergadercentrum").
    """
    name = (name or "").strip()
    if not name or "@" in name or any(ch.isdigit() for ch in name):
        return ""
    if SYSTEM_RE.search(name) or ORG_RE.search(name):
        return ""
    first = name.split()[0].strip(",;:")
    bare = first.rstrip(".")
    if first.endswith(".") or len(bare) < 2 or bare.lower() in _NOT_FIRST_NAMES:
        return ""
    if not re.fullmatch(r"[^\W\d_](?:[^\W\d_]|['’-](?=[^\W\d_]))*", bare):
        return ""
    if _NOT_NAME_END_RE.search(bare) or (bare.isupper() and len(bare) > 3):
        return ""
    if bare.islower():
        bare = bare[0].upper() + bare[1:]
    return bare
