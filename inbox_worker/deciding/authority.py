"""For whom a message acts, and whether it may take something away (pure).

A web form acts for its visitor and a colleague's forward for the original
writer; anything else for its sender. Cancelling, moving and unsubscribing
need proof that the sender is that person: an answer to our mail to that very
address, or the organiser's own receiving server vouching for the From domain.
"""


from __future__ import annotations

from ..model import (
    Conversation,
    Policy,
)
from ..reading.authres import vouched_sender
from ..reading.message import ParsedMessage


def acts_for_original_writer(msg: ParsedMessage, policy: Policy) -> bool:
    """A forward by a colleague stands for the original writer; anyone else's is
    theirs, and so is a colleague's forward of mail from our own side."""
    return (
        bool(msg.forwarded_from_addr)
        and policy.colleague(msg.from_addr)
        and not policy.colleague(msg.forwarded_from_addr or "")
    )


def internal(msg: ParsedMessage, policy: Policy) -> bool:
    """Mail from the organiser's side that speaks for nobody else: never a lead's request."""
    return (
        policy.colleague(msg.from_addr)
        and not acts_for_original_writer(msg, policy)
        and not msg.form_from_addr
    )


def lead_address(msg: ParsedMessage, policy: Policy) -> str:
    """The address a message acts for: the visitor who filled in a web form,
    the original writer of a colleague's forward, else the sender."""
    if msg.form_from_addr:
        return msg.form_from_addr.lower()
    if acts_for_original_writer(msg, policy):
        return (msg.forwarded_from_addr or "").lower()
    return msg.from_addr


def authority(msg: ParsedMessage, conversation: Conversation, policy: Policy) -> str:
    """The evidence that the sender may cancel, move or unsubscribe for
    themselves ("" when none): an answer to our mail to that very address, or
    the organiser's own server vouching for the From domain (DMARC/DKIM)."""
    if msg.forwarded_from_addr or msg.form_from_addr:
        return ""  # a forward or a web form never takes anything away from anyone
    if conversation.answers_ours:
        return "auth:answers-our-mail"
    return vouched_sender(msg.headers, msg.from_addr, policy.authserv_id)
