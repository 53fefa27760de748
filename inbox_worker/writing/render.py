"""Reply rendering: a reply request and the organiser's templates become an EmailMessage.

This module owns everything between "the workflow decided to answer" and "here
are the bytes to send": the jinja2 environment (the only import of jinja2 in the
project), finding a template (the organiser's directory first), the parts of a
reply (text, an HTML alternative, one calendar invitation) and the RFC 3834
marks of automatic mail. The headers are written by headers.py; what the
templates see (variables, filters) is defined in variables.py. It is pure: time
comes in as an argument, and nothing is sent or stored here.

Anything a stranger typed (their name, their subject) is data: it reaches a
template only as a variable, never as template source, and reaches a header only
after control characters are replaced, so it cannot add headers of its own.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from functools import partial
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from .. import shipped
from ..errors import TemplateError
from .headers import (
    BODY_POLICY,
    MSG_ID,
    REPLY_POLICY,
    UTF8_POLICY,
    make_message_id,
    one_line,
    recipient_address,
    reply_subject,
    sanitize_header_text,
    sender_address,
    thread_references,
    well_formed_ids,
)
from .invite import Invite, to_ics
from .variables import AMSTERDAM, longdate, place, sample_variables, time_of_day

_KIND = re.compile(r"[a-z0-9][a-z0-9_-]*")
_LANGUAGE = re.compile(r"[a-z]{2,3}")

_SUBJECT_LINE = re.compile(r"subject:[ \t]*(.*)", re.IGNORECASE)


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


def default_template_dir() -> Path:
    """The templates shipped with inbox-worker.

    An installed wheel carries them inside the package; a checkout has them at
    the top of the repository, where the organiser edits them.
    """
    return shipped("templates")


def _autoescape(template_name: str | None) -> bool:
    # select_autoescape() matches on the last suffix, which is ".j2" for all our
    # templates; decide on ".html.j2" ourselves. Plain text must not be escaped,
    # or "Jansen & Co" would arrive as "Jansen &amp; Co".
    return template_name is not None and template_name.endswith(".html.j2")


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
            raise TemplateError(f"template {where}: {one_line(exc.message or '')}") from None
        except jinja2.TemplateError as exc:
            raise TemplateError(f"template {name}: {one_line(str(exc))}") from None
        except Exception as exc:
            # A template is a small program; a filter given the wrong type raises
            # whatever it raises. The organiser needs one line, not a traceback.
            raise TemplateError(
                f"template {name}: {type(exc).__name__}: {one_line(str(exc))}"
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
        if not MSG_ID.fullmatch(req.message_id):
            raise ValueError(f"not a Message-ID: {req.message_id!r}")

        # `automatic`: whether to say a machine sent it (never in mail sent by hand).
        context = {**req.variables, "language": req.language, "automatic": req.automatic}
        text_name = f"{req.language}/{req.kind}.txt.j2"
        html_name = f"{req.language}/{req.kind}.html.j2"
        override, text = _split_subject(self._render_one(text_name, context))
        html = (
            self._render_one(html_name, context)
            if self._html_beside(text_name, html_name)
            else None
        )

        subject = sanitize_header_text(override) if override else self._subject(req)

        msg = EmailMessage(policy=BODY_POLICY)
        msg["From"] = sender_address(sender.name, sender.email)
        msg["To"] = recipient = recipient_address(req.to_addr, req.to_name)
        msg["Subject"] = subject
        msg["Date"] = format_datetime(date)
        msg["Message-ID"] = req.message_id
        in_reply_to = well_formed_ids([req.in_reply_to or ""])
        if in_reply_to:
            msg["In-Reply-To"] = in_reply_to[0]
        references = thread_references(req.references, req.in_reply_to)
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
        msg.policy = REPLY_POLICY if isinstance(recipient, Address) else UTF8_POLICY
        return msg

    @staticmethod
    def _subject(req: ReplyRequest) -> str:
        """`Re: ` and the subject answered; mail that answers nothing (a booking made
        by hand for someone who never wrote) is titled after the workshop, never
        "Re: your message"."""
        if req.subject or req.in_reply_to:
            return reply_subject(req.subject, req.language)
        workshop = req.variables.get("workshop")
        if isinstance(workshop, Mapping):
            title = workshop.get("title")
        else:
            title = getattr(workshop, "title", "")
        return sanitize_header_text(str(title)) if title else reply_subject("", req.language)

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
