"""The pure parts of the desk: stats, export cells, search queries, the conversation."""

from __future__ import annotations

import io
import json
import statistics

import pytest

from inbox_worker.commands import common as cli
from inbox_worker.desk import export, stats
from inbox_worker.desk.followup import LEAD_STATUSES, approval_refused, conversation, reply_tally
from inbox_worker.reading.classify import Category
from inbox_worker.store import fts_query
from inbox_worker.store.stats import reply_ranks

ROWS = {
    "inquiry_days": [
        {"day": "2026-11-16", "n": 2},
        {"day": "2026-11-22", "n": 1},  # a Sunday: still week 47
        {"day": "2026-12-01", "n": 4},
    ],
    "offered": [{"session_id": "2027-01-utrecht", "leads": 8}],
    "sessions": [
        {
            "session_id": "2027-01-utrecht",
            "starts": "2027-01-12T09:30:00+01:00",
            "location": "Utrecht",
            "capacity": 16,
            "booked": 2,
            "seats": 5,
            "waiting": 1,
            "cancelled": 0,
        },
        {
            "session_id": "2027-02-zwolle",
            "starts": "2027-02-09T09:30:00+01:00",
            "location": "Zwolle",
            "capacity": 16,
            "booked": 0,
            "seats": 0,
            "waiting": 0,
            "cancelled": 0,
        },
    ],
    "org_types": [{"org_type": "gemeente", "leads": 6, "booked": 2}],
    # Five reply times, -0.5 1.0 2.0 3.0 120.0: the store reads the median's and the p90's.
    "replies_sent": [{"n": 5}],
    "reply_minutes": [{"rank": 2, "minutes": 2.0}, {"rank": 4, "minutes": 120.0}],
    "categories": [
        {"category": "inquiry", "n": 7},
        {"category": "auto_reply", "n": 2},
        {"category": "bounce", "n": 1},
    ],
    "removed": [{"kind": "erased", "detail": json.dumps({"leads": 1})}],
}


def test_stats_table_is_exact() -> None:
    assert stats.lines(stats.build(ROWS)) == [
        "Inquiries per week",
        "  2026-W47      3",
        "  2026-W48      0",
        "  2026-W49      4",
        "",
        "Sessions                  starts           offered  booked  seats waiting  conv.",
        "  2027-01-utrecht         2027-01-12 09:30       8       2      5       1    25%",
        "  2027-02-zwolle          2027-02-09 09:30       0       0      0       0      -",
        "",
        "Organisation types          leads  booked",
        "  gemeente                      6       2",
        "",
        "Reply time: median 2 min from message to reply sent (90% within 2.0 h; 5 sent)",
        "Machine mail ignored: 3 (auto_reply 2, bounce 1)",
        "Leads erased or purged: 1",
    ]


def test_stats_json_shape() -> None:
    data = stats.build(ROWS).to_json()
    assert data["sessions"][0]["conversion"] == 0.25
    assert data["sessions"][1]["conversion"] is None
    assert data["reply_minutes"] == {"sent": 5, "median": 2.0, "p90": 120.0}
    assert data["machine_mail_ignored"] == {"total": 3, "auto_reply": 2, "bounce": 1}


@pytest.mark.parametrize(
    "minutes",
    [
        [7.0],
        [5.0, -1.0],  # before its message arrived (clock skew): counts as 0
        [1.0, 3.0, 2.0, 120.0, -0.5],
        [float(m % 17) * 1.5 for m in range(10)],
        [float((m * 7919) % 1000) / 3 for m in range(101)],
        [float((m * 104729) % 5000) / 7 - 50 for m in range(1000)],
        [4.0] * 6,
    ],
)
def test_reply_times_from_ranks_are_the_median_and_p90_of_all(minutes: list[float]) -> None:
    """Reading only the values at reply_ranks() gives what sorting every reply time gave."""
    values = sorted(minutes)
    rows = {key: [] for key in ROWS} | {
        "replies_sent": [{"n": len(values)}],
        "reply_minutes": [
            {"rank": k, "minutes": values[k]} for k in reply_ranks(len(values))
        ],
    }
    clamped = sorted(max(m, 0.0) for m in minutes)
    p90 = clamped[min(len(clamped) - 1, round(0.9 * (len(clamped) - 1)))]
    expected = stats.ReplyTimes(len(clamped), statistics.median(clamped), p90)
    assert stats.build(rows).reply_times == expected
    assert len(reply_ranks(len(values))) <= 3


def test_stats_with_nothing_yet() -> None:
    empty = {key: [] for key in ROWS}
    out = stats.lines(stats.build(empty))
    assert out[1] == "  (none)"
    assert "Reply time: no replies sent yet" in out
    assert "Machine mail ignored: 0" in out


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+2", "'=1+2"),
        ("+31 6 1234", "'+31 6 1234"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Gemeente =Zwolle", "Gemeente =Zwolle"),
        (3, 3),
        (None, None),
    ],
)
def test_neutralise(value: object, cell: object) -> None:
    assert export.neutralise(value) == cell


def test_csv_writes_bom_header_and_crlf() -> None:
    out = io.StringIO(newline="")
    count = export.write_csv([{"id": 1, "email": "a@b.nl", "name": "=x"}], out)
    assert count == 1
    text = out.getvalue()
    assert text.startswith("\ufeffid,email,name,organisation,")
    assert text.endswith("\r\n1,a@b.nl,'=x,,,,,,,,,,,,,,\r\n")


def test_one_csv_writer_takes_any_columns_and_delimiter() -> None:
    out = io.StringIO(newline="")
    rows = [{"email": "a@b.nl", "name": "+31 6", "seats": 2}, {"email": "c@d.nl", "seats": None}]
    assert export.write_table(rows, ["email", "name", "seats"], out, delimiter=";") == 2
    assert out.getvalue() == "\ufeffemail;name;seats\r\na@b.nl;'+31 6;2\r\nc@d.nl;;\r\n"
    assert export.DELIMITERS["tab"] == "\t"


def test_fts_query_quotes_every_word() -> None:
    assert fts_query('Zwol "x" NEAR -y') == '"Zwol"* """x"""* "NEAR"* "-y"*'
    assert fts_query("   ") == ""


def test_conversation_in_order_with_reasons() -> None:
    lead = {
        "messages": [
            {"id": 5, "received": "2026-11-20T09:00:00+00:00", "subject": "Vraag",
             "category": "inquiry", "reasons": '["text:nl:vraag"]', "facts": '{"participants": 3}',
             "state": "processed", "error": None},
            {"id": 9, "received": "2026-11-21T10:00:00+00:00", "subject": "Re: Vraag",
             "category": "date_choice", "reasons": "[]", "facts": "{}", "state": "processed",
             "error": None},
        ],
        "replies": [
            {"id": 2, "created": "2026-11-20T09:00:00+00:00", "sent": "2026-11-20T09:00:00+00:00",
             "kind": "inquiry", "to_addr": "a@b.nl", "subject": "Re: Vraag", "status": "sent",
             "last_error": None},
        ],
    }  # fmt: skip
    entries = conversation(lead)
    assert [(e.direction, e.id, e.label) for e in entries] == [
        ("in", 5, "inquiry"),
        ("out", 2, "sent"),
        ("in", 9, "date_choice"),
    ]
    assert entries[0].details == ("because text:nl:vraag", "facts: participants=3")


def test_the_cli_choices_match_the_engine() -> None:
    assert set(cli.CATEGORIES) == {c.value for c in Category}
    assert cli.LEAD_STATUSES == LEAD_STATUSES


@pytest.mark.parametrize(
    ("status", "last_error", "opted_out", "why"),
    [
        ("held", None, False, None),
        ("held", None, True, "reply #7 is held, but a@x.nl unsubscribed: it will never be sent"),
        ("pending", None, False, "reply #7 is pending (the next poll sends it): nothing to approve"),
        ("pending", "451 try later", False, "reply #7 is pending (451 try later): nothing to approve"),
        ("sent", None, False, "reply #7 is sent: nothing to approve"),
        ("suppressed", "dry-run: not sent", False,
         "reply #7 is suppressed (dry-run: not sent): nothing to approve"),
        ("rejected", "rejected by the organiser", False,
         "reply #7 is rejected (rejected by the organiser): nothing to approve"),
    ],
)  # fmt: skip
def test_approval_says_why_a_reply_cannot_be_approved(
    status: str, last_error: str | None, opted_out: bool, why: str | None
) -> None:
    reply = {"id": 7, "status": status, "last_error": last_error, "to_addr": "a@x.nl"}
    assert approval_refused(reply, opted_out=opted_out) == why


def test_reply_tally_in_the_order_replies_move() -> None:
    assert reply_tally({"sent": 2, "pending": 3, "failed": 0}) == "3 pending, 2 sent"
    assert reply_tally({}) == "no replies yet"
