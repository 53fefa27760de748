"""Split a mail body into new text, signature and quoted history (pure).

Owns the recognition of what mail clients put under a reply: Outlook header
blocks ("Van:/Verzonden:/Aan:/Onderwerp:", "From:/Sent:"), separator lines
("-----Oorspronkelijk bericht-----", "---------- Forwarded message ---------"),
Gmail and Apple attributions ("Op ... schreef ...:", "On ... wrote:", also when
wrapped over two or three lines), ">" quoting, and the sign-off block that
starts with "-- ", a closing formula ("Met vriendelijke groet,") or a mobile
footer ("Verzonden vanaf mijn iPhone").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .prefilter import IgnoreCase

# Lines that always start quoted or forwarded history.
SEPARATOR_RE = re.compile(
    r"^\s*[-_=*]{2,}\s*(?:original message|oorspronkelijk bericht|origineel bericht|"
    r"forwarded message|doorgestuurd bericht|weitergeleitete nachricht|"
    r"ursprüngliche nachricht|message d'origine|message transféré|mensaje original|"
    r"reply message|oprindelig meddelelse|ursprungligt meddelande|wiadomość oryginalna)"
    r"\s*[-_=*]*\s*$|^\s*(?:begin forwarded message|begin doorgestuurd bericht|"
    r"doorgestuurd bericht|forwarded message)\s*:\s*$"
    # GroupWise: ">>> Name <address> 24-11-2026 9:20 >>>"
    r"|^\s*>>>[^\n]*\S[^\n]*>>>\s*$",
    re.IGNORECASE,
)
# The first field of a client's header block, and the fields that must follow it.
# (`\s*(?:[*>]+\s*)?` is `\s*[*>]*\s*` without its two ways to split a run of
# blanks, which cost a retry of every field name per split.)
HEADER_FIELD_RE = re.compile(
    r"^\s*(?:[*>]+\s*)?(from|van|von|de|fra|från|od|sent|verzonden|verstuurd|gesendet|envoyé|"
    r"date|datum|to|aan|an|à|till|til|do|subject|onderwerp|betreft|betreff|objet|asunto|"
    r"ämne|emne|temat|cc|bcc)\s*(?:\*+\s*)?:",
    re.IGNORECASE,
)
_FROM_FIELDS = frozenset({"from", "van", "von", "de", "fra", "från", "od"})
# Attribution lines: "On <date>, <name> wrote:", "Op <date> schreef <name>:", ...
ATTRIBUTION_START_RE = re.compile(
    r"^\s*(?:on|op|am|le|el|il|den|dne|w dniu|em|i|d\.|the)\b", re.IGNORECASE
)
ATTRIBUTION_VERB_RE = re.compile(
    r"\b(?:wrote|writes|schreef|geschreven|schrieb|geschrieben|a écrit|escribió|ha scritto|"
    r"skrev|napisał|napisała|escreveu|kirjoitti)\b[^:]{0,80}:\s*$",
    re.IGNORECASE,
)
# The same, searched only where one of the verbs occurs (see prefilter.py): a
# leading \b and a case-insensitive alternation make the engine try every position.
_ATTRIBUTION_VERB = IgnoreCase(ATTRIBUTION_VERB_RE.pattern)
OUTLOOK_RULE_RE = re.compile(r"^\s*_{10,}\s*$")
# Closing formulas that open a sign-off block (matched on the whole line, lower-case).
SIGN_OFF_RE = re.compile(
    r"^\s*(?:met\s+)?(?:vriendelijke|hartelijke|zonnige|warme|sportieve|collegiale|"
    r"beste|goede|lieve|fijne)?\s*(?:groet|groeten|groetjes|groetnis|groetenis)\b"
    r"[\w\s,.!]{0,25}$"
    r"|^\s*(?:mvg|m\.v\.g\.?|vr\.?\s*gr\.?|vrgr|gr\.?|grt\.?|groet|tot\s+(?:dan|snel|ziens)|"
    r"alvast\s+(?:bedankt|dank)|bij\s+voorbaat\s+dank|dank\s+en\s+groet|hartelijk\s+dank|"
    r"kind\s+regards|best\s+regards|warm\s+regards|kindest\s+regards|regards|best\s+wishes|"
    r"best|cheers|thanks|many\s+thanks|thank\s+you|sincerely|yours\s+sincerely|"
    r"yours\s+faithfully|all\s+the\s+best|with\s+kind\s+regards|"
    r"mit\s+freundlichen\s+grüßen|viele\s+grüße|cordialement|saludos)\s*[,.!]*\s*$",
    re.IGNORECASE,
)
MOBILE_FOOTER_RE = re.compile(
    r"^\s*(?:sent|verzonden|verstuurd|gestuurd|sent from|verzonden vanaf|verzonden vanuit|"
    r"verstuurd vanaf|verstuurd vanuit|gesendet von)\s+(?:from|vanaf|vanuit|van|met|via|von)?\s*"
    r"(?:my|mijn|mein)?\s*(?:iphone|ipad|android|samsung|galaxy|blackberry|mobile|mobiel|"
    r"smartphone|telefoon|outlook|mail for|windows|huawei|fairphone|pixel|xiaomi|oneplus|ios)"
    r"[^\n]{0,60}$|^\s*get outlook for (?:ios|android)\s*$|^\s*outlook voor (?:ios|android)\s*$",
    re.IGNORECASE,
)
SIG_DASHES_RE = re.compile(r"^--\s?$")
# Either of the two above, in one call per line.
_SIGN_OFF_OR_FOOTER_RE = re.compile(
    SIGN_OFF_RE.pattern + "|" + MOBILE_FOOTER_RE.pattern, re.IGNORECASE
)
_SIG_DASHES_LINES_RE = re.compile(r"^--[^\S\n]?$", re.MULTILINE)
# A sign-off block is short; past this many non-empty lines it is not a signature.
MAX_SIGNATURE_LINES = 14


@dataclass(frozen=True)
class Split:
    new: str
    signature: str
    quoted: str


def _header_block_at(lines: list[str], i: int) -> bool:
    """True when lines[i] starts a client header block (From:/Van: + another field)."""
    m = HEADER_FIELD_RE.match(lines[i])
    if not m or m.group(1).lower() not in _FROM_FIELDS:
        return False
    seen = 0
    for line in lines[i + 1 : i + 7]:
        if not line.strip():
            continue
        if HEADER_FIELD_RE.match(line):
            seen += 1
            if seen >= 2:
                return True
        elif seen == 0:
            # a wrapped From: value ("From: Name\n<addr>") is allowed once
            continue
    return seen >= 2


def _attribution_at(lines: list[str], i: int) -> int:
    """Length (1-3 lines) of an attribution starting at lines[i], 0 when none."""
    if not ATTRIBUTION_START_RE.match(lines[i]):
        return 0
    joined = ""
    for n in range(3):
        if i + n >= len(lines):
            break
        part = lines[i + n].strip()
        if n and not part:
            break
        joined = f"{joined} {part}" if joined else part
        if len(joined) > 300:
            break
        if _ATTRIBUTION_VERB.search(joined):
            return n + 1
    return 0


# Cheap first look: only lines that start like one of the above get the full checks.
CANDIDATE_WORDS = (
    "from|van|von|de|fra|från|od|on|op|am|le|el|il|den|dne|w dniu|em|i|d\\.|"
    "the|begin|doorgestuurd|forwarded"
)
# The same words factored by their first letters, so the engine tries a branch per
# letter rather than one per word (tests/test_message.py compares it with the plain
# alternation of CANDIDATE_WORDS).
_CANDIDATE_RE = re.compile(
    r"^\s*(?:[-_=*>]|(?:f(?:rom|ra|rån|orwarded)|v[ao]n|d(?:e|en|ne|\.|oorgestuurd)|o[dnp]|"
    r"am|le|e[lm]|il?|w dniu|the|begin)\b)",
    re.IGNORECASE,
)


def find_quote_start(lines: list[str]) -> int:
    """Index of the first line of quoted or forwarded history, len(lines) when none."""
    quoted_checked = False
    for i, line in enumerate(lines):
        if not _CANDIDATE_RE.match(line):
            continue
        stripped = line.strip()
        if SEPARATOR_RE.match(line) or (OUTLOOK_RULE_RE.match(line) and _next_is_header(lines, i)):
            return i
        if _header_block_at(lines, i) or _attribution_at(lines, i):
            return i
        if stripped.startswith(">") and not quoted_checked:
            quoted_checked = True  # the first ">" line decides for the whole tail
            if _mostly_quoted(lines, i):
                return i
    return len(lines)


def _next_is_header(lines: list[str], i: int) -> bool:
    for j in range(i + 1, min(len(lines), i + 4)):
        if lines[j].strip():
            return _header_block_at(lines, j)
    return False


def _mostly_quoted(lines: list[str], i: int) -> bool:
    """A ">" block that runs to the end (bar blank lines and a footer) is history."""
    rest = [line for line in lines[i:] if line.strip()]
    quoted = sum(1 for line in rest if line.lstrip().startswith(">"))
    return quoted >= 0.8 * len(rest)


def find_signature_start(lines: list[str], name_hint: str = "") -> int:
    """Index where the sign-off block starts in the new text, len(lines) when none."""
    text = "\n".join(lines)
    if "--" in text:
        m = _SIG_DASHES_LINES_RE.search(text)
        if m is not None:
            return text.count("\n", 0, m.start())
    # a closing formula counts only in the last MAX_SIGNATURE_LINES + 1 non-empty
    # lines: those, and the first non-empty line, are all the checks below need
    tail: list[int] = []
    for i in range(len(lines) - 1, -1, -1):
        if lines[i].strip():
            tail.append(i)
            if len(tail) > MAX_SIGNATURE_LINES:
                break
    if not tail:
        return len(lines)
    tail.reverse()
    first = tail[0] if len(tail) <= MAX_SIGNATURE_LINES else _first_nonempty(lines)
    return _signature_start(lines, name_hint, tail, first)


def _first_nonempty(lines: list[str]) -> int:
    return next(i for i, line in enumerate(lines) if line.strip())


def _find_signature_start_plain(lines: list[str], name_hint: str = "") -> int:
    """find_signature_start testing every line: the reference it is tested against."""
    for i, line in enumerate(lines):
        if SIG_DASHES_RE.match(line):
            return i
    nonempty = [i for i, line in enumerate(lines) if line.strip()]
    if not nonempty:
        return len(lines)
    for pos, i in enumerate(nonempty):
        line = lines[i]
        if len(line.strip()) > 60:
            continue
        if (SIGN_OFF_RE.match(line) or MOBILE_FOOTER_RE.match(line)) and (
            len(nonempty) - pos - 1 <= MAX_SIGNATURE_LINES
        ):
            return i
    return _signature_start(lines, name_hint, [], nonempty[0], nonempty[-6:])


def _signature_start(
    lines: list[str],
    name_hint: str,
    tail: list[int],
    first: int,
    last_six: list[int] | None = None,
) -> int:
    """The closing-formula and name checks over tail (the last non-empty lines)."""
    for i in tail:
        line = lines[i]
        if len(line.strip()) > 60:
            continue
        if _SIGN_OFF_OR_FOOTER_RE.match(line):
            return i
    # no closing formula: a short block at the end that starts with the sender's name
    tokens = {w.lower().strip(",.") for w in name_hint.split() if len(w.strip(",.")) >= 3}
    if tokens:
        for i in tail[-6:] if last_six is None else last_six:
            if i == first or len(lines[i].strip()) > 80:
                continue
            words = [w.strip(",.") for w in lines[i].lower().replace("|", " ").split()]
            if (len(words) == 1 and words[0] in tokens) or len(tokens & set(words[:4])) >= 2:
                return i
    return len(lines)


def split_body(text: str, name_hint: str = "") -> Split:
    """Split text into new text, signature and quoted history.

    Someone who writes nothing above the quote answered under it: what they typed
    between or below the ">" lines (bottom-posting, inline answers) is the new text."""
    lines = text.split("\n")
    q = find_quote_start(lines)
    head, quoted = lines[:q], lines[q:]
    # inline ">" lines in the remaining part are quotes as well
    if ">" in text:
        head = [line for line in head if not line.lstrip().startswith(">")]
    s = find_signature_start(head, name_hint)
    new = "\n".join(head[:s]).strip()
    signature = "\n".join(head[s:]).strip()
    if not new and q < len(lines):
        below = "\n\n".join(reply for _, reply in _replies_in_quote(lines, q)).split("\n")
        s = find_signature_start(below, name_hint)
        new = "\n".join(below[:s]).strip()
        signature = signature or "\n".join(below[s:]).strip()
    return Split(new=new, signature=signature, quoted="\n".join(quoted).strip())


def inline_replies(text: str) -> list[tuple[str, str]]:
    """What was typed under or between the ">" lines of text's quoted history, each
    with the quoted paragraph or list item just above it (">" removed): the line
    an inline "Deze graag!" answers."""
    lines = text.split("\n")
    q = find_quote_start(lines)
    return _replies_in_quote(lines, q) if q < len(lines) else []


def _is_quoted(line: str) -> bool:
    return line.lstrip().startswith(">")


def _replies_in_quote(lines: list[str], q: int) -> list[tuple[str, str]]:
    """(quoted paragraph above, unquoted text) for each run of unquoted lines after the
    first ">" line of the history that starts at q. Empty when that history is not
    quoted with ">" (an Outlook header block is followed by plain history)."""
    start = q + _attribution_at(lines, q)
    first = next((i for i in range(start, len(lines)) if lines[i].strip()), len(lines))
    if first == len(lines) or not _is_quoted(lines[first]) or SEPARATOR_RE.match(lines[first]):
        return []  # GroupWise's ">>> ... >>>" line is followed by history without ">"
    out: list[tuple[str, str]] = []
    above: list[str] = []
    run: list[str] = []
    for i in range(first, len(lines)):
        line = lines[i]
        if _is_quoted(line):
            if any(x.strip() for x in run):
                out.append((_last_paragraph(above), "\n".join(run).strip()))
            run = []
            above.append(line)
        elif _CANDIDATE_RE.match(line) and (
            SEPARATOR_RE.match(line) or _header_block_at(lines, i) or _attribution_at(lines, i)
        ):
            break  # another message's history starts: nothing below is theirs
        else:
            run.append(line)
    if any(x.strip() for x in run):
        out.append((_last_paragraph(above), "\n".join(run).strip()))
    return out


_QUOTE_MARKS_RE = re.compile(r"^\s*(?:>\s?)+")
_LIST_ITEM_RE = re.compile(r"^\s*(?:[-*•]|\d+[.)]|\*?(?:optie|option)\s*\d)", re.IGNORECASE)


def _last_paragraph(quoted: list[str]) -> str:
    """The last paragraph (or list item) of quoted lines, without the ">" marks."""
    plain = [_QUOTE_MARKS_RE.sub("", line) for line in quoted]
    while plain and not plain[-1].strip():
        plain.pop()
    para: list[str] = []
    for line in reversed(plain):
        if not line.strip():
            break
        para.append(line)
        if _LIST_ITEM_RE.match(line):
            break
    return "\n".join(reversed(para)).strip()


def header_block_fields(lines: list[str]) -> dict[str, str]:
    """The fields of the first client header block in lines (lower-case names)."""
    fields: dict[str, str] = {}
    started = False
    for line in lines[:40]:
        m = HEADER_FIELD_RE.match(line)
        if m:
            name = m.group(1).lower()
            if name in _FROM_FIELDS:
                name = "from"
            fields.setdefault(name, line[m.end() :].strip().strip("*").strip())
            started = True
        elif started and not line.strip():
            break
    return fields
