"""Reply rendering: a reply request and the organiser's templates become an EmailMessage.

This module owns everything between "the workflow decided to answer" and "here
are the bytes to send": the jinja2 environment (the only import of jinja2 in the
project), the template variables contract, the filters the templates may use,
and the headers every automatic reply carries (RFC 3834: Auto-Submitted,
In-Reply-To, References, one recipient). It is pure: time comes in as an
argument, and nothing is sent or stored here.

Anything a stranger typed (their name, their subject) is data: it reaches a
template only as a variable, never as template source, and reaches a header only
after control characters are replaced, so it cannot add headers of its own.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from datetime import time as dtime
from email.headerregistry import (
    Address,
    HeaderRegistry,
    UniqueAddressHeader,
    UnstructuredHeader,
)
from email.message import EmailMessage
from email.policy import Policy
from email.policy import default as default_policy
from email.utils import format_datetime, quote
from functools import partial
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from .. import clock, shipped
from ..errors import InboxWorkerError, TemplateError
from .idn import ascii_address
from .invite import Invite, to_ics

__all__ = [
    "DigestEntry",
    "OrganiserVars",
    "Renderer",
    "ReplyRequest",
    "Sender",
    "SessionOption",
    "WorkshopVars",
    "default_template_dir",
    "longdate",
    "make_message_id",
    "place",
    "reply_subject",
    "sample_variables",
    "sanitize_header_text",
    "time_of_day",
]

# Workshop days happen in the Netherlands; times in replies are local there,
# whatever zone the config or the server clock uses.
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


class _MsgIdsHeader(UnstructuredHeader):
    """Message-ID, In-Reply-To, References: msg-ids, folded between ids only.

    The stdlib treats In-Reply-To and References as unstructured text and turns
    a msg-id too long for the line into an RFC 2047 encoded word, which breaks
    threading in every mail client. Here a line breaks only between two ids; an
    id longer than the line stays whole on a line of its own (RFC 5322's hard
    limit is 998, and _MSG_ID ids are never near it).
    """

    def fold(self, *, policy: Policy) -> str:
        limit = policy.max_line_length or 998
        lines: list[str] = []
        line = f"{self.name}:"  # type: ignore[attr-defined]  # BaseHeader, mixed in at run time
        for token in str(self).split():
            if len(line) + 1 + len(token) > limit and not line.endswith(":"):
                lines.append(line)
                line = ""
            line += " " + token
        lines.append(line)
        return policy.linesep.join(lines) + policy.linesep


class _OneMsgIdHeader(_MsgIdsHeader):
    max_count = 1


class _AddressHeader(UniqueAddressHeader):
    """From and To: folded between words, the display name kept quoted.

    The stdlib drops the quotes around a display name when it folds one:
    `"Jansen, M." <m@x.nl>` comes out as `Jansen, M. <m@x.nl>`, two
    addresses to any reader, and a name with parentheses loses its end to a
    comment. Here an ASCII name is quoted first, and lines break only between
    words, which RFC 5322 allows inside a quoted string too.
    """

    def fold(self, *, policy: Policy) -> str:
        utf8 = getattr(policy, "utf8", False)  # EmailPolicy's, not the base Policy's
        if not (utf8 or all(a.display_name.isascii() for a in self.addresses)):
            # A name in Unicode becomes RFC 2047 words, which the stdlib writes well.
            return str(super().fold(policy=policy))  # type: ignore[misc]
        limit = policy.max_line_length or 998
        tokens: list[str] = []
        for n, address in enumerate(self.addresses):
            name, spec = address.display_name, address.addr_spec
            if name:
                tokens.extend((f'"{quote(name)}"' if _SPECIALS.search(name) else name).split(" "))
            tokens.append(f"<{spec}>" if name else spec)
            if n < len(self.addresses) - 1:
                tokens[-1] += ","
        lines: list[str] = []
        line = f"{self.name}:"  # type: ignore[attr-defined]  # BaseHeader, mixed in at run time
        for token in tokens:
            if len(line) + 1 + len(token) > limit and not line.endswith(":"):
                lines.append(line)
                line = ""
            line += " " + token
        lines.append(line)
        return policy.linesep.join(lines) + policy.linesep


# RFC 5322 specials (and the quote and backslash) that make a display name a quoted-string.
_SPECIALS = re.compile(r'[()<>\[\]:;@\\,."]')

# The registry mixes BaseHeader into these classes when it builds a header;
# typeshed cannot see that, hence the ignores.
_HEADERS = HeaderRegistry()
_HEADERS.map_to_type("from", _AddressHeader)  # type: ignore[arg-type]
_HEADERS.map_to_type("to", _AddressHeader)  # type: ignore[arg-type]
_HEADERS.map_to_type("message-id", _OneMsgIdHeader)  # type: ignore[arg-type]
_HEADERS.map_to_type("in-reply-to", _MsgIdsHeader)  # type: ignore[arg-type]
_HEADERS.map_to_type("references", _MsgIdsHeader)  # type: ignore[arg-type]

# Header lines fold at 78 characters (RFC 5322 2.1.1). The same number is the
# line width of quoted-printable and base64 bodies the stdlib writes, which RFC
# 2045 6.7 and 6.8 cap at 76 (spam filters score longer ones: SpamAssassin's
# MIME_QP_LONG_LINE, BASE64_LENGTH_79_INF); so parts are built with
# _BODY_POLICY and the message is written with REPLY_POLICY.
REPLY_POLICY = default_policy.clone(max_line_length=78, header_factory=_HEADERS)
_BODY_POLICY = REPLY_POLICY.clone(max_line_length=76)
_UTF8_POLICY = REPLY_POLICY.clone(utf8=True)

# RFC 5322 lets References grow without bound; long threads would otherwise
# produce ever longer headers. Keep the thread root plus the most recent ones,
# as RFC 5322 section 3.6.4 suggests.
MAX_REFERENCES = 20

# Header values from strangers are capped: a name or subject of 10 kB is abuse,
# and nothing useful is lost by cutting it.
MAX_NAME_CHARS = 128
MAX_SUBJECT_CHARS = 250

# Reply prefixes other clients put in front of a subject; recognised so that
# our "Re: " never stacks ("Re: Antw: RE: ..."). Re[2]: is Outlook's counter.
_REPLY_PREFIX = re.compile(r"^\s*(?:(?:re|aw|antw)\s*(?:\[\d+\])?\s*:\s*)+", re.IGNORECASE)

# A msg-id as RFC 5322 wants it: printable ASCII, no angle brackets or spaces,
# with an "@". Anything else in References is dropped rather than echoed.
_MSG_ID = re.compile(r"<[!-;=?-~]+@[!-;=?-~]+>")

_KIND = re.compile(r"[a-z0-9][a-z0-9_-]*")
_LANGUAGE = re.compile(r"[a-z]{2,3}")
_UNIQUE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_DOMAIN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?")

_SUBJECT_LINE = re.compile(r"subject:[ \t]*(.*)", re.IGNORECASE)

_MONTHS = {
    "nl": (
        "januari", "februari", "maart", "april", "mei", "juni",
        "juli", "augustus", "september", "oktober", "november", "december",
    ),
    "en": (
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ),
}  # fmt: skip
_WEEKDAYS = {
    "nl": ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}

# Used when the message we answer had no subject at all.
_NO_SUBJECT = {"nl": "je bericht", "en": "your message"}


@dataclass(frozen=True)
class Sender:
    """The organiser as the From: of every reply."""

    name: str
    email: str


@dataclass(frozen=True)
class ReplyRequest:
    """One reply the workflow decided to send; everything render() needs besides time."""

    kind: str
    language: str
    to_addr: str
    to_name: str
    subject: str
    in_reply_to: str | None
    references: tuple[str, ...]
    message_id: str
    variables: Mapping[str, Any] = field(default_factory=dict)
    invites: tuple[Invite, ...] = ()  # calendar invitations (booking replies)
    # False for mail the organiser sends by hand (`replies send`): RFC 3834 marks
    # only what a machine sent on its own, and the other side may answer it freely.
    automatic: bool = True
    # RFC 3834's word for what a machine sent: "auto-generated" for mail that
    # answers nobody (the organiser's digest).
    auto_submitted: str = "auto-replied"


@dataclass(frozen=True)
class WorkshopVars:
    """`workshop` in templates. Any object with these attributes (or a dict) will do."""

    title: str
    summary: str
    price: str
    duration: str
    url: str


@dataclass(frozen=True)
class OrganiserVars:
    """`organiser` in templates."""

    name: str
    email: str
    phone: str


@dataclass(frozen=True)
class SessionOption:
    """One entry of `sessions` (and `session`) in templates: a date we offer."""

    number: int  # 1-based, the number the reader answers with
    id: str
    starts: datetime
    ends: datetime
    location: str
    seats_left: int


@dataclass(frozen=True)
class DigestEntry:
    """One entry of `items` in the digest template: something that waits for the organiser."""

    name: str  # who wrote, "" when unknown
    email: str
    wrote: tuple[str, ...]  # the first lines of what they wrote; may be empty
    reason: str  # why a person must look at it
    failed_reply: int | None  # the id of our reply the server refused, if that is why
    command: str  # what to type to act on it


def default_template_dir() -> Path:
    """The templates shipped with inbox-worker.

    An installed wheel carries them inside the package; a checkout has them at
    the top of the repository, where the organiser edits them.
    """
    return shipped("templates")


def make_message_id(sender_email: str, unique: str) -> str:
    """Our Message-ID: `<inbox-worker.{unique}@{domain of sender_email}>`.

    The caller supplies `unique` (a uuid4 hex) so the reply's id can be stored
    before it is rendered and sent, and found again in the Sent folder after a
    crash. Raises ValueError for input that would make a malformed id.
    """
    local, at, domain = sender_email.strip().rpartition("@")
    if not at or not local:
        raise ValueError(f"cannot take a Message-ID domain from {sender_email!r}")
    domain = domain.rstrip(">").lower()
    if not domain or not _DOMAIN.fullmatch(domain):
        try:
            domain = domain.encode("idna").decode("ascii")
        except UnicodeError:
            domain = ""
        if not domain or not _DOMAIN.fullmatch(domain):
            raise ValueError(f"cannot take a Message-ID domain from {sender_email!r}")
    if not _UNIQUE.fullmatch(unique):
        raise ValueError(f"unusable unique part for a Message-ID: {unique!r}")
    return f"<inbox-worker.{unique}@{domain}>"


def sanitize_header_text(value: str, limit: int = MAX_SUBJECT_CHARS) -> str:
    """Make user text safe for one header line.

    CR and LF are the obvious injection route, but Python's str.splitlines()
    (used inside the email package) also breaks on \\x0b, \\x0c, \\x1c-\\x1e,
    \\x85, U+2028 and U+2029, so every control, line and paragraph separator
    becomes a space. Runs of whitespace collapse, and the result is capped.
    """
    cleaned = "".join(" " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch for ch in value)
    cleaned = " ".join(cleaned.split())
    return cleaned[:limit].rstrip()


def reply_subject(original: str, language: str = "nl") -> str:
    """`Re: ` + the original subject, without stacking reply prefixes."""
    subject = _REPLY_PREFIX.sub("", sanitize_header_text(original))
    if not subject:
        subject = _NO_SUBJECT.get(language, _NO_SUBJECT["en"])
    return f"Re: {subject}"


def _local(dt: datetime, zone: tzinfo = AMSTERDAM) -> datetime:
    # Naive datetimes are taken to be wall time in the zone already: that is how
    # an organiser would write them. One clock for mail and CLI (clock.local).
    return clock.local(dt, zone)


def longdate(dt: datetime, lang: str = "nl", zone: tzinfo = AMSTERDAM) -> str:
    """The date as words in local time: "dinsdag 12 januari 2027", "Tuesday 12 January 2027".

    Own tables rather than the locale module: locales are process-global and
    often not installed on servers.
    """
    if lang not in _MONTHS:
        raise ValueError(f"longdate: no month names for language {lang!r}")
    local = _local(dt, zone)
    weekday = _WEEKDAYS[lang][local.weekday()]
    return f"{weekday} {local.day} {_MONTHS[lang][local.month - 1]} {local.year}"


def time_of_day(dt: datetime, zone: tzinfo = AMSTERDAM) -> str:
    """The clock time in the organiser's zone, "09:30" (the `time` filter)."""
    return _local(dt, zone).strftime("%H:%M")


# A location that is no place: "op 18 maart online", never "in online".
_ONLINE = re.compile(
    r"(?:online|on-line|zoom|(?:microsoft )?teams|webex|google meet|webinar|virtual|virtueel|"
    r"remote|op afstand|digitaal)\b",
    re.I,
)


def place(location: str, lang: str = "nl") -> str:
    """Where, as a sentence says it: "in Utrecht", or "online" (the `place` filter).

    "Op donderdag 18 maart in Zwolle", but "op woensdag 10 maart online": a
    session whose location is online (Zoom, Teams, ...) takes no "in"/"at".
    """
    where = _one_line(location)
    if not where or _ONLINE.match(where):
        return where
    return f"in {where}"


def _autoescape(template_name: str | None) -> bool:
    # select_autoescape() matches on the last suffix, which is ".j2" for all our
    # templates; decide on ".html.j2" ourselves. Plain text must not be escaped,
    # or "Jansen & Co" would arrive as "Jansen &amp; Co".
    return template_name is not None and template_name.endswith(".html.j2")


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _well_formed_ids(ids: Sequence[str]) -> list[str]:
    seen: set[str] = set()
    result: list[str] = []
    for raw in ids:
        for candidate in _MSG_ID.findall(raw or ""):
            if candidate not in seen:
                seen.add(candidate)
                result.append(candidate)
    return result


def _references(req: ReplyRequest) -> list[str]:
    ids = _well_formed_ids([*req.references, req.in_reply_to or ""])
    if len(ids) > MAX_REFERENCES:
        ids = [ids[0], *ids[-(MAX_REFERENCES - 1) :]]
    return ids


def _split_subject(text: str) -> tuple[str | None, str]:
    """Take an optional "Subject: ..." first line off the rendered text body."""
    first, sep, rest = text.partition("\n")
    match = _SUBJECT_LINE.fullmatch(first.strip())
    if match is None:
        return None, text
    return match.group(1), rest.lstrip("\n") if sep else ""


class Renderer:
    """Renders reply templates from one or more directories, the first one winning.

    Pass the organiser's own template directory first and default_template_dir()
    after it, so an organiser can override a single template and inherit the rest.
    """

    def __init__(self, template_dirs: Sequence[Path], zone: tzinfo = AMSTERDAM) -> None:
        self.template_dirs = [Path(d) for d in template_dirs]
        # Sandboxed: templates are organiser-editable files, perhaps edited by
        # someone less trusted than the operator; they get data, not Python.
        self.env = SandboxedEnvironment(
            loader=jinja2.FileSystemLoader([str(d) for d in self.template_dirs]),
            undefined=jinja2.StrictUndefined,
            autoescape=_autoescape,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        # The organiser's zone ([organiser] timezone): mail shows what the CLI shows.
        self.env.filters["longdate"] = partial(longdate, zone=zone)
        self.env.filters["time"] = partial(time_of_day, zone=zone)
        self.env.filters["place"] = place

    def _names(self, language: str) -> list[str]:
        prefix = f"{language}/"
        return [
            n
            for n in self.env.list_templates()
            if n.startswith(prefix) and "/" not in n[len(prefix) :]
        ]

    def kinds(self, language: str) -> list[str]:
        """Template kinds available in `language`, sorted ("inquiry", ...)."""
        suffix = ".txt.j2"
        return sorted(
            n[len(language) + 1 : -len(suffix)] for n in self._names(language) if n.endswith(suffix)
        )

    def _source_dir(self, name: str) -> Path | None:
        """The directory the loader takes `name` from: the first that has it."""
        return next((d for d in self.template_dirs if (d / name).is_file()), None)

    def _html_beside(self, text_name: str, html_name: str) -> bool:
        # The HTML part must come from the same directory as the text part: an
        # organiser who rewrites only inquiry.txt.j2 must not have the built-in
        # HTML sent alongside it, since most clients show the HTML and hide the text.
        html_dir = self._source_dir(html_name)
        return html_dir is not None and html_dir == self._source_dir(text_name)

    def _render_one(self, name: str, context: Mapping[str, Any]) -> str:
        try:
            return self.env.get_template(name).render(context)
        except jinja2.TemplateNotFound:
            raise TemplateError(f"template {name} not found") from None
        except jinja2.TemplateSyntaxError as exc:
            where = f"{name}:{exc.lineno}" if exc.lineno else name
            raise TemplateError(f"template {where}: {_one_line(exc.message or '')}") from None
        except jinja2.TemplateError as exc:
            raise TemplateError(f"template {name}: {_one_line(str(exc))}") from None
        except Exception as exc:
            # A template is a small program; a filter given the wrong type raises
            # whatever it raises. The organiser needs one line, not a traceback.
            raise TemplateError(
                f"template {name}: {type(exc).__name__}: {_one_line(str(exc))}"
            ) from None

    def render(self, req: ReplyRequest, *, sender: Sender, date: datetime) -> EmailMessage:
        """Build the reply. Raises TemplateError when a template is missing or fails.

        Raises InboxWorkerError when the recipient address cannot be written as a
        header, and ValueError when req.message_id is not a well-formed msg-id.
        """
        if not _LANGUAGE.fullmatch(req.language):
            raise TemplateError(f"template language {req.language!r} is not a language code")
        if not _KIND.fullmatch(req.kind):
            # Keeps a kind like "../../etc" from naming a file outside the template dirs.
            raise TemplateError(f"template kind {req.kind!r} is not a template name")
        if not _MSG_ID.fullmatch(req.message_id):
            raise ValueError(f"not a Message-ID: {req.message_id!r}")

        context = {**req.variables, "language": req.language}
        text_name = f"{req.language}/{req.kind}.txt.j2"
        html_name = f"{req.language}/{req.kind}.html.j2"
        override, text = _split_subject(self._render_one(text_name, context))
        html = (
            self._render_one(html_name, context)
            if self._html_beside(text_name, html_name)
            else None
        )

        subject = (
            sanitize_header_text(override) if override else reply_subject(req.subject, req.language)
        )

        msg = EmailMessage(policy=_BODY_POLICY)
        msg["From"] = _sender(sender)
        msg["To"] = recipient = _recipient(req)
        msg["Subject"] = subject
        msg["Date"] = format_datetime(date)
        msg["Message-ID"] = req.message_id
        in_reply_to = _well_formed_ids([req.in_reply_to or ""])
        if in_reply_to:
            msg["In-Reply-To"] = in_reply_to[0]
        references = _references(req)
        if references:
            msg["References"] = " ".join(references)
        if req.automatic:
            # RFC 3834: marks us as a machine so other machines do not answer us.
            msg["Auto-Submitted"] = req.auto_submitted
            # Asks Exchange/Outlook not to send out-of-office notes back to us.
            msg["X-Auto-Response-Suppress"] = "All"

        if not text.endswith("\n"):
            text += "\n"
        # quoted-printable: readable in the raw source and safe through any relay,
        # where 8bit would need 8BITMIME all the way.
        msg.set_content(text, charset="utf-8", cte="quoted-printable")
        if html is not None:
            msg.add_alternative(html, subtype="html", charset="utf-8", cte="quoted-printable")
            # add_alternative() builds the part as an EmailMessage, which stamps
            # MIME-Version on it; that header belongs on the top level only.
            for part in msg.iter_parts():
                del part["MIME-Version"]
        if req.invites:
            _attach_invite(msg, req.invites)
        # Last: set_content() drops Content-* headers and add_alternative() moves
        # them into the first part, and the language describes the whole reply.
        msg["Content-Language"] = req.language
        # The parts are encoded (76 characters a line); from here on the policy
        # only folds headers. A local part in Unicode can only be written as
        # UTF-8 (RFC 6532), and only an SMTPUTF8 relay takes it (smtp.py).
        msg.policy = REPLY_POLICY if isinstance(recipient, Address) else _UTF8_POLICY
        return msg

    def check(self, languages: Sequence[str] = ("nl", "en")) -> list[str]:
        """Render every template with sample variables; one problem line per failure.

        Used by `inbox-worker doctor`. Each kind is rendered twice, with sample
        sessions and with none, so a typo in an "no dates yet" branch is found
        before a real inquiry runs into it.
        """
        problems: list[str] = []
        now = datetime(2026, 11, 2, 9, 0, tzinfo=AMSTERDAM)
        sample = sample_variables(now)
        sender = Sender(name=sample["organiser"].name, email=sample["organiser"].email)
        for language in languages:
            kinds = self.kinds(language)
            if not kinds:
                problems.append(f"templates {language}/: no .txt.j2 templates found")
            # An HTML template is only used beside a text one in the same
            # directory; alone it is silently dead, which the organiser should know.
            for directory in self.template_dirs:
                for html_path in sorted((directory / language).glob("*.html.j2")):
                    text_path = html_path.with_name(
                        html_path.name.removesuffix(".html.j2") + ".txt.j2"
                    )
                    if not text_path.is_file():
                        problems.append(
                            f"template {language}/{html_path.name} in {directory}: "
                            "not used, no .txt.j2 template beside it"
                        )
            for kind in kinds:
                for variables, note in (
                    (sample, ""),
                    ({**sample, "sessions": []}, " (no sessions)"),
                    ({**sample, "previous": None}, " (no previous session)"),
                ):
                    req = ReplyRequest(
                        kind=kind,
                        language=language,
                        to_addr="fatima.elamrani@gemeente-voorbeeld.nl",
                        to_name=sample["name"],
                        subject="Workshop co-creëren",
                        in_reply_to="<sample-inquiry@gemeente-voorbeeld.nl>",
                        references=(),
                        message_id=make_message_id(sender.email, "doctor"),
                        variables=variables,
                    )
                    try:
                        self.render(req, sender=sender, date=now)
                    except TemplateError as exc:
                        problems.append(f"{exc}{note}")
                        break  # the second render would usually repeat the first error
        return problems

    def own_texts(self, workshop: Any, organiser: Any) -> dict[str, list[str]]:
        """The text of every template kind in every language, as this organiser
        sends it (sample people and sessions): what our own words look like when
        someone quotes them (see ourwords.py). Keyed by kind; a template that
        fails to render is left out (doctor reports it)."""
        now = datetime(2026, 11, 2, 9, 0, tzinfo=AMSTERDAM)
        texts: dict[str, list[str]] = {}
        languages = sorted({n.split("/")[0] for n in self.env.list_templates() if "/" in n})
        for language in languages:
            for kind in self.kinds(language):
                variables = {
                    **sample_variables(now),
                    # the texts of [workshop.<language>] where the config has them
                    "workshop": (
                        workshop.for_language(language)
                        if hasattr(workshop, "for_language")
                        else workshop
                    ),
                    "organiser": organiser,
                    "language": language,
                }
                try:
                    text = self._render_one(f"{language}/{kind}.txt.j2", variables)
                except TemplateError:
                    continue
                texts.setdefault(kind, []).append(_split_subject(text)[1])
        return texts


def _attach_invite(msg: EmailMessage, invites: Sequence[Invite]) -> None:
    """The invite as the one text/calendar part (iMIP), and as an .ics file.

    RFC 6047 2.4: one text/calendar part per message, with the iTIP method on
    its Content-Type. Outlook and Gmail act only on that part; a second
    calendar part or an attached CANCEL is ignored, which is why a move goes
    out as two messages (compose.py). The attachment, the same invite, lets
    anyone else import the event by hand, as Google Calendar's own mail does.
    """
    if len(invites) != 1:
        raise ValueError(
            f"a message carries one calendar invitation (RFC 6047), not {len(invites)}"
        )
    [invite] = invites
    ics = to_ics(invite)
    msg.add_alternative(
        ics.decode("utf-8"),
        subtype="calendar",
        charset="utf-8",
        # 8bit (what the stdlib picks for short non-ASCII lines) needs 8BITMIME
        # on every hop; quoted-printable gets through any relay.
        cte="quoted-printable",
        params={"method": invite.method},
    )
    msg.add_attachment(ics, maintype="application", subtype="ics", filename=invite.filename)
    for part in msg.walk():
        if part is not msg:
            del part["MIME-Version"]


def _sender(sender: Sender) -> Address:
    """The organiser as From:, the domain as ASCII (IDNA) so every relay takes it."""
    try:
        return Address(
            display_name=sanitize_header_text(sender.name),
            addr_spec=ascii_address(sender.email.strip()),
        )
    except (ValueError, TypeError) as exc:
        raise InboxWorkerError(f"cannot send as {sender.email!r}: {_one_line(str(exc))}") from None


def _recipient(req: ReplyRequest) -> Address | str:
    """One recipient, with the display name made header-safe.

    The domain is written as ASCII (IDNA A-labels): any server accepts that,
    with or without SMTPUTF8. A local part in Unicode has no ASCII form; it
    comes back as header text, for a message written as UTF-8 (RFC 6532).
    """
    name = sanitize_header_text(req.to_name, MAX_NAME_CHARS)
    addr = req.to_addr.strip()
    if sanitize_header_text(addr) != addr or "@" not in addr:
        raise InboxWorkerError(f"cannot reply to {addr!r}: not an e-mail address")
    try:
        addr = ascii_address(addr)
        if not addr.isascii():
            local, _, domain = addr.rpartition("@")
            check = Address(addr_spec=f"x@{domain}")  # the domain still has to parse
            if any(ch in local for ch in '"\\<>()[],;: ') or not check.domain:
                raise ValueError("not a plain local part")
            return f'"{quote(name)}" <{addr}>' if name else addr
        return Address(display_name=name, addr_spec=addr)
    except (ValueError, TypeError) as exc:  # header parse errors subclass ValueError
        raise InboxWorkerError(f"cannot reply to {addr!r}: {_one_line(str(exc))}") from None


def sample_variables(now: datetime) -> dict[str, Any]:
    """A realistic template context: three sessions from a month after `now`.

    Used by Renderer.check() and by tests, so templates are exercised with the
    same shapes the worker passes.
    """
    first_day = _local(now).date() + timedelta(days=35)
    places = (("utrecht", "Utrecht", 5), ("zwolle", "Zwolle", 12), ("den-haag", "Den Haag", 1))
    sessions = []
    for number, (place_id, location, seats) in enumerate(places, start=1):
        day = first_day + timedelta(days=14 * (number - 1))
        sessions.append(
            SessionOption(
                number=number,
                id=f"{day.isoformat()}-{place_id}",
                starts=datetime.combine(day, dtime(9, 30), AMSTERDAM),
                ends=datetime.combine(day, dtime(16, 30), AMSTERDAM),
                location=location,
                seats_left=seats,
            )
        )
    return {
        "name": "Fatima el Amrani",
        "organisation": "Gemeente Voorbeeld",
        "language": "nl",
        "action": "cancel",
        "workshop": WorkshopVars(
            title="Co-creëren met de samenleving",
            summary=(
                "Een praktische dag over participatie: hoe je inwoners, ondernemers en "
                "maatschappelijke partners vroeg en echt betrekt bij beleid en projecten."
            ),
            price="€ 495 excl. btw per deelnemer",
            duration="1 dag (09:30-16:30)",
            url="https://example.org/co-creeren",
        ),
        "organiser": OrganiserVars(
            name="Gertjan Verstoep", email="workshops@example.org", phone="+31 30 123 45 67"
        ),
        "sessions": sessions,
        # Booking replies: the session booked (or cancelled, or reminded of),
        # the one given up when moving, and the seats.
        "session": sessions[0],
        "previous": sessions[1],
        "seats": 2,
        "days_left": 3,
        # session_cancelled: the person was on the waitlist (held no place).
        "waiting": False,
        # The digest (to the organiser): what waits for a person, and replies held.
        "held": 2,
        "items": [
            DigestEntry(
                name="Fatima el Amrani",
                email="fatima.elamrani@gemeente-voorbeeld.nl",
                wrote=(
                    "Wij willen graag met 8 collega's komen. Is er een korting mogelijk",
                    "voor een groep, en kan de factuur naar ons inkoopnummer? …",
                ),
                reason="asks for a discount for 8 people",
                failed_reply=None,
                command="inbox-worker leads show fatima.elamrani@gemeente-voorbeeld.nl",
            ),
            DigestEntry(
                name="",
                email="j.devries@waterschap-voorbeeld.nl",
                wrote=(),
                reason="550 5.1.1 user unknown",
                failed_reply=12,
                command="inbox-worker replies show 12",
            ),
        ],
    }
