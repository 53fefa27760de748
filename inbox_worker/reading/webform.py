"""Web-form notifications -> the visitor who filled in the form (pure).

Owns reading the mail a contact form sends (our own site's PHPMailer or WP Mail
SMTP, a form service such as Jotform): a system address writes it, but a
person asked the question, and that person is who the organiser answers. Only
a clear form counts: the sender is a system (a no-reply or web-server address,
or a form mailer in X-Mailer) and the body carries labelled fields for the
visitor's e-mail address, name and message, as text ("Naam: ...", a label on
its own line with the value under it, Contact Form 7's "From: Name <address>")
or as an HTML table (htmltext.html_to_fields reads a two-cell row as "label:
value"). A newsletter from a no-reply address has no such fields and is left
alone.

The address is what the visitor typed: nobody verified it, so it identifies
whom to answer, never whom to act for (cancelling, moving, unsubscribing).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .addresses import parse_address

# Who sends form notifications: a no-reply or web-server account, or a mailer
# that names a form plugin or service.
_SYSTEM_SENDER_RE = re.compile(
    r"no-?reply|do-?not-?reply|^(?:wordpress|www-data|www|web|website|webmaster|site|apache|"
    r"nginx|forms?|formulier(?:en)?|contactform(?:ulier)?|notifications?|notify)[@+.-]",
    re.I,
)
_FORM_MAILER_RE = re.compile(
    r"phpmailer|wp ?mail ?smtp|wpmailsmtp|wordpress|contact form|wpforms|gravity ?forms|"
    r"jotform|typeform|formspree|formstack|ninja ?forms",
    re.I,
)
# A field label at the start of a line, then ":" and the value, or nothing (the
# value follows on the next line). Lower-case text; an HTML table's two-cell rows
# arrive as "label: value" (see htmltext.html_to_fields).
_LABEL_RE = re.compile(
    r"^(?:(?P<name>(?:uw |je |your |volledige |full )?(?:naam|name|voor- en achternaam)|"
    r"contactpersoon|contact person)"
    r"|(?P<first>voornaam|first name)"
    r"|(?P<last>achternaam|last name|surname)"
    r"|(?P<email>(?:uw |je |your )?(?:e-?mail|e-?mail ?adres|mailadres|e-?mail address))"
    r"|(?P<message>(?:uw |je |your )?(?:bericht|vraag|vraag of opmerking|vraag/opmerking|"
    r"bericht/vraag|vraag en/of opmerking|opmerking(?:en)?|toelichting|message|message body|"
    r"question|comments?|comment or message|enquiry|inquiry))"
    r"|(?P<sender>van|from|afzender|sender))"
    r" ?\*?(?: ?:(?P<value>.*)| *$)"
)
# Any "Label: value" line: a field of the form that ends the message before it.
_ANY_LABEL_RE = re.compile(r"^[^\W\d][\w'()/ -]{0,30}:(?:\s|$)")
_SEPARATOR_RE = re.compile(r"^(?:-{2,}|_{3,}|={3,}|\*{3,})\s*$")
# The form's own lines under the message: where it was sent from, ids, notices.
_FOOTER_RE = re.compile(
    r"^(?:sent from|verzonden (?:via|vanaf|met)|verstuurd (?:via|vanaf)|this (?:e-?mail|message) "
    r"(?:was|is) sent|deze e-?mail is verzonden|dit bericht is verzonden|u ontvangt deze|"
    r"you (?:are )?receiv|inzending-?id|submission id|ip(?: ?-?adres| address)?\b|https?://)"
)
# Fields a person puts under their name.
_SIGNED_FIELD_RE = re.compile(
    r"(?:uw |je |your )?(?:functie|function|job title|rol|role|organisatie|organisation|"
    r"organization|bedrijf|company|werkgever|employer|gemeente|instantie|afdeling|department)$"
)
_ADDR_RE = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
_MAX_LINES = 80


@dataclass(frozen=True)
class WebForm:
    addr: str  # the visitor's address, lower-case
    name: str  # the visitor's name as typed, "" when the form has none
    message: str  # what the visitor wrote
    fields: tuple[tuple[str, str], ...]  # the other labelled fields (label, value)

    def signature(self) -> str:
        """The visitor's name, function and organisation, one a line, as a person signs."""
        signed = [v for k, v in self.fields if _SIGNED_FIELD_RE.match(k.lower())]
        return "\n".join([self.name, *signed])


def is_form_sender(from_addr: str, mailer: str) -> bool:
    """Whether a form notification may come from this sender (cheap; tested first)."""
    return bool(_SYSTEM_SENDER_RE.search(from_addr)) or bool(
        mailer and _FORM_MAILER_RE.search(mailer)
    )


def read_form(
    from_addr: str, mailer: str, text: str, not_visitor: Sequence[str] = ()
) -> WebForm | None:
    """The visitor of a web-form notification, or None when this is not a clear form.

    not_visitor: addresses that cannot be the visitor (the recipients: a form
    that only echoes the organiser's own address is no visitor's question)."""
    if not is_form_sender(from_addr, mailer):
        return None
    lines = [line.strip() for line in text.split("\n", _MAX_LINES)[:_MAX_LINES]]
    name = first = last = addr = ""
    message: list[str] = []
    fields: list[tuple[str, str]] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        m = _LABEL_RE.match(line.lower()) if line else None
        if m is None:
            label, _, value = line.partition(":")
            if value.strip() and _ANY_LABEL_RE.match(line):
                fields.append((label.strip(), value.strip()))
            i += 1
            continue
        kind = _kind(m)
        has_colon = m.group("value") is not None
        value = line[m.start("value") :].strip() if has_colon else ""
        if kind == "message":
            if message:  # a second message field: not a form we understand
                return None
            message, i = _message(lines, i, value)
            continue
        if not has_colon:
            # a label on its own line: the value is on the next non-empty line
            j = i + 1
            while j < len(lines) and not lines[j]:
                j += 1
            value = lines[j] if j < len(lines) and not _LABEL_RE.match(lines[j].lower()) else ""
            i = j
        if kind == "email":
            found = _ADDR_RE.findall(value)
            if len(found) != 1 or addr:
                return None  # no address, several, or a second e-mail field: unclear
            addr = found[0].lower()
        elif kind == "sender":
            sender_name, sender_addr = parse_address(value) if "@" in value else ("", "")
            if sender_addr and not addr:
                addr = sender_addr.lower()
                name = name or sender_name.strip().strip("'\"")
        elif kind == "name":
            name = name or value
        elif kind == "first":
            first = value
        elif kind == "last":
            last = value
        i += 1
    name = name or " ".join(p for p in (first, last) if p)
    text_of_message = "\n".join(message).strip()
    if (
        not addr
        or not name
        or "@" in name
        or len(text_of_message.split()) < 2
        or addr == from_addr.lower()
        or addr in (a.lower() for a in not_visitor)
    ):
        return None
    return WebForm(addr=addr, name=" ".join(name.split()), message=text_of_message,
                   fields=tuple(fields))  # fmt: skip


def _kind(m: re.Match[str]) -> str:
    for kind in ("name", "first", "last", "email", "message", "sender"):
        if m.group(kind):
            return kind
    return ""


def _message(lines: list[str], i: int, value: str) -> tuple[list[str], int]:
    """The message field's lines from line i, and the index after them: up to a
    separator, the next labelled field or the form's own footer."""
    out = [value] if value else []
    j = i + 1
    while j < len(lines):
        line = lines[j]
        low = line.lower()
        if _SEPARATOR_RE.match(line) or _FOOTER_RE.match(low):
            break
        if _LABEL_RE.match(low) or (out and _ANY_LABEL_RE.match(line)):
            break
        out.append(line)
        j += 1
    return out, j
