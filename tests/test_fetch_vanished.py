"""A FETCH answer for a message expunged after SELECT is skipped, not stored (issue 13).

Courier-IMAP serves a placeholder of its own ("From: System Administrator",
"Subject: message unavailable"); other servers an empty body. Neither is mail:
the worker must not store it, read it or count it as new.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest

from inbox_worker.mail.imap import ImapSource
from inbox_worker.mail.source import vanished
from tests import mailfactory

COURIER = (
    b"From: System Administrator <root@localhost>\r\n"
    b"Subject: message unavailable\r\n"
    b"\r\n"
    b"This message is no longer available on the server.\r\n"
)
REAL = mailfactory.inquiry_nl(1)


class FakeClient:
    """Answers FETCH as a server does after another session expunged some UIDs."""

    def __init__(self, bodies: dict[int, bytes | None]) -> None:
        self.bodies = bodies

    def fetch(self, uids: list[int], items: list[bytes]) -> dict[int, dict[bytes, Any]]:
        if items == [b"RFC822.SIZE"]:
            return {u: {b"RFC822.SIZE": len(self.bodies[u] or b"")} for u in uids}
        answer: dict[int, dict[bytes, Any]] = {}
        for uid in uids:
            body = self.bodies[uid]
            answer[uid] = {b"RFC822.SIZE": len(body or b""), b"INTERNALDATE": None}
            if body is not None:
                answer[uid][b"BODY[]"] = body
        return answer


def test_vanished_recognises_no_body_and_courier_placeholder_only() -> None:
    assert vanished(b"") == "no body in the FETCH answer"
    assert vanished(COURIER) is not None
    assert vanished(COURIER.replace(b"\r\n", b"\n")) is not None
    assert vanished(REAL) is None
    # A person may write about an unavailable message; only the server's stand-in goes.
    assert vanished(b"From: Anna <a@x.nl>\r\nSubject: message unavailable\r\n\r\nhi\r\n") is None
    assert vanished(COURIER + b"x" * 4096) is None


def test_imap_fetch_skips_and_logs_what_vanished(caplog: pytest.LogCaptureFixture) -> None:
    source = ImapSource(
        FakeClient({1: REAL, 2: COURIER, 3: None, 4: REAL}),  # type: ignore[arg-type]
        host="127.0.0.1",
        port=143,
    )
    source._selected = "INBOX"
    with caplog.at_level(logging.WARNING, logger="inbox_worker.mail.imap"):
        batches = list(source.fetch([1, 2, 3, 4]))
    assert [m.uid for batch in batches for m in batch] == [1, 4]
    warnings = [r.getMessage() for r in caplog.records]
    assert any("UID 2 vanished" in w and "placeholder" in w for w in warnings)
    assert any("UID 3 vanished" in w and "no body" in w for w in warnings)
