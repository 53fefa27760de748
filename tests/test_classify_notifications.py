"""A platform's notification is bulk, an acknowledgement or absence an auto-reply.

Both carry Auto-Submitted: auto-generated. What tells them apart is whether the
mail answers anything: a notification (a recording is ready, a reminder) comes
from a no-reply address outside any thread and says nothing about having
received a message. Synthetic messages written for these tests.
"""

from __future__ import annotations

import pytest

from inbox_worker.reading.classify import Category, classify
from inbox_worker.reading.message import parse


def auto(body: str, sender: str, subject: str, headers: str = "") -> bytes:
    return (
        f"From: {sender}\nTo: workshops@organiser.example\nSubject: {subject}\n"
        f"Message-ID: <n1@x.example>\nAuto-Submitted: auto-generated\n{headers}"
        f"Content-Type: text/plain; charset=utf-8\n\n{body}\n"
    ).encode()


@pytest.mark.parametrize(
    ("body", "sender", "subject", "headers", "category"),
    [
        # a notification: bulk
        ("Your cloud recording is now available.\nShare it with viewers: https://x.example/r",
         "Meetings <no-reply@meetings.example>", "Cloud recording is available", "",
         Category.BULK),
        # an acknowledgement, even from a no-reply address: auto_reply
        ("We have received your request and will get back to you within two working days.",
         "Support <noreply@support.example>", "Your request", "", Category.AUTO_REPLY),
        # a person's absence: auto_reply
        ("Ik ben afwezig tot maandag 4 januari.", "Anna <anna@gemeente.example>",
         "Automatisch antwoord: Workshop", "", Category.AUTO_REPLY),
        # in a thread it answers something: auto_reply
        ("Uw bericht is doorgestuurd naar de juiste afdeling.",
         "Gemeente <noreply@gemeente.example>", "Re: Workshop",
         "In-Reply-To: <ours@organiser.example>\n", Category.AUTO_REPLY),
    ],
)  # fmt: skip
def test_auto_generated(
    body: str, sender: str, subject: str, headers: str, category: Category
) -> None:
    result = classify(parse(auto(body, sender, subject, headers)))
    assert result.category is category, result.reasons
