"""The organiser's desk on the demo data: review, follow up, reprocess, export, erase, purge.

Each test runs the real commands through CliRunner on a fresh demo folder
(Maildir in, file outbox out) and checks the exact output and the database
after every command that changes it. Demo lead ids follow the demo mail:
1 m.jansen (gemeente), 2 pj.hoekstra (provincie), ..., 8 s.vanleeuwen, who
unsubscribed.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlite_utils import Database

from cli import cli
from inbox_worker.deciding.booking import CONFIRMED, NEW, WAITLISTED, BookingChange
from inbox_worker.store import Store
from tests import mailfactory

HOEKSTRA = "pj.hoekstra@provincie-noordervelden.nl"
VANLEEUWEN = "s.vanleeuwen@gemeente-voorbeeld.nl"
HEADER = (
    "id     email                                   name              organisation       status"
)


def run(demo: Path, *args: str, input: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        cli, ["--config", str(demo / "config.toml"), *args], input=input, catch_exceptions=False
    )
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    result = CliRunner().invoke(cli, ["demo", "--dir", str(tmp_path / "demo")])
    assert result.exit_code == 0, result.output
    return tmp_path / "demo"


def db(demo: Path) -> Database:
    return Database(demo / "leads.db")


def outbox(demo: Path) -> int:
    return len(list((demo / "outbox").glob("*.eml")))


def book(demo: Path, lead_id: int, *, status: str = CONFIRMED, session: int = 0) -> int:
    with Store(demo / "leads.db") as store:
        session_id = store.all_sessions()[session].id
        return store.apply_booking_change(
            BookingChange(NEW, status, session_id=session_id, seats=2), lead_id, datetime.now(UTC)
        )


# -- leads list / show / search -------------------------------------------------


def test_leads_list_filters(demo: Path) -> None:
    code, out, _ = run(demo, "leads", "list", "--org-type", "provincie")
    assert (code, out) == (
        0,
        f"{HEADER}\n"
        "2      pj.hoekstra@provincie-noordervelden.nl  Pieter-Jan Hoek…  Provincie Noorde…  offered\n",
    )
    code, out, _ = run(demo, "leads", "list", "--category", "unsubscribe")
    assert out == (
        f"{HEADER}\n"
        "8      s.vanleeuwen@gemeente-voorbeeld.nl      Sanne van Leeuw…                     unsubscribed\n"
    )
    assert run(demo, "leads", "list", "--since", "2999-01-01")[1] == "(none)\n"
    code, out, _ = run(demo, "leads", "list", "--status", "offered", "--json")
    ids = [json.loads(line)["id"] for line in out.splitlines()]
    assert ids == [4, 2, 1]  # newest first; the other inquiries wait for the organiser
    code, out, _ = run(demo, "leads", "list", "--status", "needs_attention", "--json")
    assert [json.loads(line)["id"] for line in out.splitlines()] == [7, 6, 5, 3]

    book(demo, 3, session=1)
    session_id = db(demo)["bookings"].get(1)["session_id"]
    code, out, _ = run(demo, "leads", "list", "--session", session_id, "--json")
    assert [json.loads(line)["email"] for line in out.splitlines()] == [
        "a.vandermeer@waterschap-lagelanden.nl"
    ]


def test_leads_list_fits_100_columns(demo: Path) -> None:
    code, out, _ = run(demo, "leads", "list")
    assert code == 0
    assert out.splitlines()[0] == HEADER
    assert len(out.splitlines()) == 9
    assert max(len(line) for line in out.splitlines()) <= 100


def test_leads_list_rejects_an_unknown_status(demo: Path) -> None:
    code, _, err = run(demo, "leads", "list", "--status", "bogus")
    assert code == 2
    assert "Invalid value for '--status'" in err


def test_leads_show_has_bookings_and_the_conversation_in_order(demo: Path) -> None:
    book(demo, 2)
    code, out, _ = run(demo, "leads", "show", HOEKSTRA)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == f"email:        {HOEKSTRA}"
    assert "participants: 3" in lines
    bookings = lines.index("Bookings:")
    assert lines[bookings + 1].split()[-3:] == ["2", "seats", "confirmed"]
    talk = lines[lines.index("Conversation:") + 1 :]
    assert talk[0].split()[2:5] == ["in", "#2", "inquiry"]
    assert "because text:nl:vraag" in [t.strip() for t in talk]
    assert "facts: participants=3, option=1" in [t.strip() for t in talk]
    out_line = next(t for t in talk if " out " in t)
    assert out_line.split()[2:5] == ["out", "#2", "sent"]
    assert talk.index(out_line) > 0  # our reply after their message
    assert max(len(line) for line in lines) <= 100


def test_leads_show_by_id_and_unknown(demo: Path) -> None:
    assert run(demo, "leads", "show", "2")[1].startswith(f"email:        {HOEKSTRA}\n")
    assert run(demo, "leads", "show", "99")[1:] == ("", "Error: no lead 99\n")


def test_leads_search_names_organisations_and_message_text(demo: Path) -> None:
    def found(text: str) -> list[int]:
        code, out, _ = run(demo, "leads", "search", text, "--json")
        assert code == 0
        return [json.loads(line)["id"] for line in out.splitlines()]

    assert found("Hoekstra") == [2]
    assert found("noorder") == [2]  # a word's beginning is enough
    assert found("waterschap lagelanden") == [3]
    # Only in the text of Rob Dijkstra's mail.
    assert found("monumenteigenaren") == [4]
    assert found('"quoted -minus NEAR') == []  # FTS syntax in user text is just text
    assert run(demo, "leads", "search", "nobody-at-all")[1] == "(none)\n"


# -- set-status, note -----------------------------------------------------------


def test_set_status_and_note_are_stored_and_logged(demo: Path) -> None:
    code, out, _ = run(demo, "leads", "set-status", HOEKSTRA, "closed")
    assert (code, out) == (0, f"{HOEKSTRA}: offered -> closed\n")
    lead = db(demo)["leads"].get(2)
    assert lead["status"] == "closed" and lead["opted_out"] == 0
    [event] = db(demo)["events"].rows_where("kind = 'status_set'")
    assert json.loads(event["detail"]) == {"from": "offered", "to": "closed"}

    code, out, _ = run(demo, "leads", "note", "2", "Belde terug: wil in maart")
    assert (code, out) == (0, f"Noted on {HOEKSTRA}.\n")
    run(demo, "leads", "note", "2", "Tweede   regel")
    notes = db(demo)["leads"].get(2)["notes"].splitlines()
    today = datetime.now(UTC).date().isoformat()
    assert notes == [f"{today} Belde terug: wil in maart", f"{today} Tweede regel"]
    assert "Belde terug" in run(demo, "leads", "show", "2")[1]
    assert [
        json.loads(x)["id"] for x in run(demo, "leads", "search", "maart", "--json")[1].splitlines()
    ] == [2]
    assert run(demo, "leads", "note", "2", "  ")[0] == 2


def test_set_status_unsubscribed_opts_out_and_withdraws_queued_replies(demo: Path) -> None:
    from inbox_worker.mail.maildir import deliver

    deliver(demo / "mail", mailfactory.inquiry_en(1))
    run(demo, "poll", "--hold")
    [held] = db(demo)["replies"].rows_where("status = 'held'")
    email = held["to_addr"]
    run(demo, "leads", "set-status", email, "unsubscribed")
    lead = next(db(demo)["leads"].rows_where("email = ?", [email]))
    assert (lead["status"], lead["opted_out"]) == ("unsubscribed", 1)
    reply = db(demo)["replies"].get(held["id"])
    assert (reply["status"], reply["last_error"]) == ("suppressed", "lead opted out")
    code, out, _ = run(demo, "replies", "approve", "--all")
    assert code == 0 and out.startswith("No held replies (") and out.endswith(", 1 suppressed).\n")


# -- replies send ------------------------------------------------------------------


def test_replies_send_previews_asks_and_sends(demo: Path) -> None:
    before = outbox(demo)
    code, out, err = run(
        demo, "replies", "send", "--lead", HOEKSTRA, "--template", "inquiry", input="y\n"
    )
    assert code == 0, err
    assert out.startswith(
        "From: Gertjan Verstoep <workshops@example.org>\n"
        f"To: Pieter-Jan Hoekstra <{HOEKSTRA}>\n"
        "Subject: Re: Aanmelden workshop co-creëren\n\nBeste Pieter-Jan,\n"
    )
    assert f"Queue this inquiry email to {HOEKSTRA}? [y/N]: y\n" in out
    reply = list(db(demo)["replies"].rows_where("lead_id = 2", order_by="id"))[-1]
    assert out.endswith(f"Sent reply #{reply['id']} to {HOEKSTRA}.\n")
    assert (reply["kind"], reply["status"], reply["in_reply_to"]) == ("inquiry", "sent", 2)
    assert outbox(demo) == before + 1
    # The preview was rendered with the Message-ID that went out.
    [sent] = [p.read_bytes() for p in (demo / "outbox").glob("*.eml") if reply["message_id"].encode() in p.read_bytes()]
    # Sent by a person's decision, so not marked as an automatic reply (RFC 3834).
    assert b"Auto-Submitted" not in sent and b"X-Auto-Response-Suppress" not in sent
    [event] = db(demo)["events"].rows_where("kind = 'follow_up'")
    assert json.loads(event["detail"]) == {"reply": reply["id"], "kind": "inquiry"}


def test_replies_send_declined_queues_nothing(demo: Path) -> None:
    count = db(demo)["replies"].count
    code, out, err = run(
        demo, "replies", "send", "--lead", "2", "--template", "inquiry", input="n\n"
    )
    assert (code, err) == (1, "Aborted!\n")
    assert out.endswith("[y/N]: n\n")
    assert db(demo)["replies"].count == count


def test_replies_send_refusals_are_one_line(demo: Path) -> None:
    def refused(*args: str) -> tuple[int, str]:
        code, _out, err = run(demo, "replies", "send", "--yes", *args)
        return code, err

    assert refused("--lead", VANLEEUWEN, "--template", "inquiry") == (
        1,
        f"Error: {VANLEEUWEN} opted out: no mail of any kind goes to them\n",
    )
    assert refused("--lead", "2", "--template", "nope") == (
        1,
        "Error: no template 'nope' in nl; there are: cancellation, choose_again,"
        " confirm, confirmation, group_size, inquiry, moved, promoted, reminder, waitlist\n",
    )
    assert refused("--lead", "2", "--template", "confirmation") == (
        1,
        f"Error: {HOEKSTRA} has no booking to write a confirmation about\n",
    )
    assert refused("--lead", "nobody@x.nl", "--template", "inquiry") == (
        1,
        "Error: no lead nobody@x.nl\n",
    )


def test_replies_send_honours_hold_mode(demo: Path) -> None:
    config = demo / "config.toml"
    config.write_text(config.read_text().replace('mode = "send"', 'mode = "hold"'))
    before = outbox(demo)
    code, out, _ = run(demo, "replies", "send", "--yes", "--lead", "2", "--template", "inquiry")
    reply = list(db(demo)["replies"].rows_where("lead_id = 2", order_by="id"))[-1]
    assert (code, out) == (
        0,
        f"Held reply #{reply['id']}; send it with 'inbox-worker replies approve {reply['id']}'.\n",
    )
    assert reply["status"] == "held"
    assert outbox(demo) == before


def test_replies_send_confirmation_carries_the_booking(demo: Path) -> None:
    booking_id = book(demo, 2)
    code, _, err = run(
        demo, "replies", "send", "--yes", "--lead", "2", "--template", "confirmation"
    )
    assert code == 0, err
    reply = list(db(demo)["replies"].rows_where("lead_id = 2", order_by="id"))[-1]
    assert (reply["kind"], reply["booking_id"]) == ("confirmation", booking_id)
    assert b"text/calendar" in reply["body"]


# -- messages reprocess -----------------------------------------------------------


def test_reprocess_shows_the_diff_and_sends_nothing(
    demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from inbox_worker.deciding import conversation as reading_mod
    from inbox_worker.reading.classify import Category, Classification

    real = reading_mod.classify

    def improved(msg, offered=(), **options):  # type: ignore[no-untyped-def]
        result = real(msg, offered, **options)
        if "collega" in msg.subject:
            return Classification(Category.DATE_CHOICE, result.language, ("rule:new",))
        return result

    monkeypatch.setattr(reading_mod, "classify", improved)  # "rules improved"
    replies, bookings, before = db(demo)["replies"].count, db(demo)["bookings"].count, outbox(demo)

    code, out, _ = run(demo, "messages", "reprocess", "--dry-run")
    assert (code, out) == (
        0,
        "#4 inquiry -> date_choice\nReprocessed 12 messages: 1 changed (dry run: nothing stored)\n",
    )
    assert db(demo)["messages"].get(4)["category"] == "inquiry"

    code, out, _ = run(demo, "messages", "reprocess")
    assert (code, out) == (0, "#4 inquiry -> date_choice\nReprocessed 12 messages: 1 changed\n")
    row = db(demo)["messages"].get(4)
    # The new rule's reason, then the conversation it was read in.
    assert row["category"] == "date_choice"
    assert json.loads(row["reasons"])[0] == "rule:new"
    assert json.loads(row["reasons"])[1].startswith("context:")
    [event] = db(demo)["events"].rows_where("kind = 'reprocessed'")
    assert (event["message_id"], json.loads(event["detail"])["from"]) == (4, "inquiry")
    assert (db(demo)["replies"].count, db(demo)["bookings"].count) == (replies, bookings)
    assert outbox(demo) == before
    assert db(demo)["leads"].get(4)["status"] == "offered"

    # Once more with nothing new: no change, no new events.
    code, out, _ = run(demo, "messages", "reprocess", "4")
    assert out == "Reprocessed 1 message: 0 changed\n"
    assert len(list(db(demo)["events"].rows_where("kind = 'reprocessed'"))) == 1


def test_reprocess_selections_and_errors(demo: Path) -> None:
    assert run(demo, "messages", "reprocess", "--category", "bounce")[1] == (
        "Reprocessed 1 message: 0 changed\n"
    )
    assert run(demo, "messages", "reprocess", "--since", "2999-01-01")[1] == (
        "Reprocessed 0 messages: 0 changed\n"
    )
    assert run(demo, "messages", "reprocess", "999")[::2] == (1, "Error: no message with id 999\n")


# -- stats ------------------------------------------------------------------------


def test_stats_json_and_table(demo: Path) -> None:
    book(demo, 2)
    code, out, _ = run(demo, "stats", "--json")
    assert code == 0
    data = json.loads(out)
    assert sum(w["inquiries"] for w in data["inquiries_per_week"]) == 7
    first = data["sessions"][0]
    assert (first["offered"], first["booked"], first["seats"]) == (3, 1, 2)
    assert first["conversion"] == round(1 / 3, 3)
    assert {"org_type": "gemeente", "leads": 4, "booked": 0} in data["org_types"]
    assert data["reply_minutes"]["sent"] == 3
    assert data["machine_mail_ignored"] == {"total": 4, "auto_reply": 2, "bounce": 1, "bulk": 1}

    code, out, _ = run(demo, "stats")
    lines = out.splitlines()
    assert lines[0] == "Inquiries per week"
    assert "Machine mail ignored: 4 (auto_reply 2, bounce 1, bulk 1)" in lines
    assert max(len(line) for line in lines) <= 100


# -- export -----------------------------------------------------------------------


def test_export_csv_has_a_bom_a_fixed_header_and_no_formulas(demo: Path) -> None:
    from inbox_worker.desk.export import EXPORT_COLUMNS

    db(demo)["leads"].update(2, {"name": '=HYPERLINK("http://x")', "phone": "+31 6 1234 5678"})
    result = CliRunner().invoke(
        cli, ["--config", str(demo / "config.toml"), "leads", "export"], catch_exceptions=False
    )
    assert result.exit_code == 0
    raw = result.stdout_bytes
    assert raw.startswith(b"\xef\xbb\xbfid,email,name,organisation,")
    text = raw.decode("utf-8-sig")
    assert "\r\n" in text
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert tuple(rows[0]) == EXPORT_COLUMNS
    assert [r[0] for r in rows[1:]] == [str(i) for i in range(1, 9)]  # stable: by id
    two = dict(zip(rows[0], rows[2], strict=True))
    assert two["name"] == '\'=HYPERLINK("http://x")'
    assert two["phone"] == "'+31 6 1234 5678"
    assert two["organisation"] == "Provincie Noordervelden"


def test_export_json_to_a_file_with_filters(demo: Path) -> None:
    from inbox_worker.desk.export import EXPORT_COLUMNS

    target = demo / "out.json"
    code, out, _ = run(demo, "leads", "export", "--format", "json", "-o", str(target),
                       "--org-type", "gemeente")  # fmt: skip
    assert (code, out) == (0, "")
    records = json.loads(target.read_text(encoding="utf-8"))
    assert [r["id"] for r in records] == [1, 6, 7, 8]
    assert all(tuple(r) == EXPORT_COLUMNS for r in records)


# -- erase ------------------------------------------------------------------------


def test_erase_leaves_no_trace_in_the_database_files(demo: Path) -> None:
    book(demo, 2)
    run(demo, "leads", "note", "2", "Pieter-Jan belde")
    # A reader holding the database open keeps the -wal and -shm files on disk.
    reader = sqlite3.connect(demo / "leads.db")
    reader.execute("select count(*) from leads").fetchall()
    try:
        code, out, _ = run(demo, "leads", "erase", HOEKSTRA, "--yes")
        assert code == 0
        assert out == (
            f"Erased {HOEKSTRA}: 1 message, 1 reply, 1 booking, 4 events, 1 outbox file.\n"
        )
        # Their reply left the file outbox; the others' replies stay.
        left = [p.read_bytes().lower() for p in (demo / "outbox").glob("*.eml")]
        assert left and not any(HOEKSTRA.encode() in data for data in left)
        files = [p for p in demo.glob("leads.db*") if not p.name.endswith(".lock")]
        assert {p.name for p in files} >= {"leads.db", "leads.db-wal", "leads.db-shm"}
        for path in files:
            data = path.read_bytes().lower()
            for needle in ("hoekstra", "pieter-jan", HOEKSTRA):
                assert needle.encode() not in data, f"{needle} in {path.name}"
    finally:
        reader.close()

    d = db(demo)
    assert not list(d["leads"].rows_where("id = 2"))
    assert not list(d["messages"].rows_where("lead_id = 2 or id = 2"))
    assert not list(d["replies"].rows_where("lead_id = 2"))
    assert not list(d["bookings"].rows_where("lead_id = 2"))
    assert not list(d["events"].rows_where("lead_id = 2"))
    [erased] = d["events"].rows_where("kind = 'erased'")
    assert erased["lead_id"] is None
    assert json.loads(erased["detail"]) == {
        "leads": 1, "messages": 1, "replies": 1, "bookings": 1, "booked": 1,
        "categories": {"inquiry": 1},
    }  # fmt: skip
    assert json.loads(run(demo, "stats", "--json")[1])["removed_leads"] == 1
    assert run(demo, "leads", "search", "Hoekstra")[1] == "(none)\n"
    # The others are untouched.
    assert d["leads"].count == 7 and d["messages"].count == 11


def test_erase_asks_first(demo: Path) -> None:
    code, out, err = run(demo, "leads", "erase", "2", input="n\n")
    assert (code, err) == (1, "Aborted!\n")
    assert out == (
        f"Erase {HOEKSTRA} (Pieter-Jan Hoekstra): 1 message, 1 reply, 0 bookings?"
        " This cannot be undone [y/N]: n\n"
    )
    assert db(demo)["leads"].get(2)["email"] == HOEKSTRA
    assert run(demo, "leads", "erase", "nobody@x.nl", "--yes")[2] == "Error: no lead nobody@x.nl\n"


# -- purge ------------------------------------------------------------------------


def age(demo: Path, days: int) -> None:
    """Make everything in the demo database `days` days older."""
    old = (datetime.now(UTC) - timedelta(days=days)).isoformat(timespec="seconds")
    d = db(demo)
    d.execute("update leads set created = ?, updated = ?", [old, old])
    d.execute("update messages set received = ?", [old])
    d.execute("update replies set created = ?, sent = ?", [old, old])
    d.execute("update events set ts = ?", [old])
    d.conn.commit()


def test_purge_keeps_future_bookings_and_recent_leads(demo: Path) -> None:
    book(demo, 2)  # a session still to come
    book(demo, 3, status=WAITLISTED)
    age(demo, 400)
    d = db(demo)
    recent = datetime.now(UTC).isoformat(timespec="seconds")
    d.execute("update leads set updated = ? where id = 5", [recent])
    d.conn.commit()

    code, out, _ = run(demo, "purge", "--older-than", "365", "--dry-run")
    assert (code, out) == (
        0,
        "Would remove 5 leads, 9 messages and 13 events older than 365 days.\n",
    )
    assert db(demo)["leads"].count == 8

    code, out, err = run(demo, "purge", "--older-than", "365", "--yes")
    assert (code, out) == (0, "")
    assert err == "Purged 5 leads, 9 messages and 13 events older than 365 days.\n"
    assert sorted(r["id"] for r in db(demo)["leads"].rows) == [2, 3, 5]
    # Machine mail (no lead) went too; the kept leads' messages stayed.
    assert sorted(r["lead_id"] for r in db(demo)["messages"].rows) == [2, 3, 5]
    [purged] = db(demo)["events"].rows_where("kind = 'purged'")
    assert json.loads(purged["detail"])["leads"] == 5
    assert json.loads(run(demo, "stats", "--json")[1])["removed_leads"] == 5


def test_purge_uses_the_configured_retention(demo: Path) -> None:
    code, _, err = run(demo, "purge", "--yes")
    assert code == 2
    assert "give --older-than DAYS or set storage.retention_days" in err
    config = demo / "config.toml"
    config.write_text(
        config.read_text().replace(
            'database = "leads.db"', 'database = "leads.db"\nretention_days = 30'
        )
    )
    assert run(demo, "purge", "--yes")[::2] == (
        0,
        "Nothing to purge: nothing older than 30 days.\n",
    )
    age(demo, 31)
    code, _, err = run(demo, "purge", "--yes")
    assert code == 0 and err.startswith("Purged 8 leads, 12 messages")
    assert db(demo)["leads"].count == 0


# -- opt-out blocks every kind of mail ------------------------------------------


def test_an_unsubscribe_blocks_reminders_promotions_and_follow_ups(demo: Path) -> None:
    from inbox_worker.mail.maildir import deliver

    # Hoekstra holds a confirmed seat and Jansen waits on a full session.
    d = db(demo)
    config = demo / "config.toml"
    config.write_text(config.read_text().replace("capacity = 16", "capacity = 2", 1))
    run(demo, "sessions", "list")  # syncs the smaller capacity
    book(demo, 2)
    waiting = book(demo, 1, status=WAITLISTED)
    our_reply = next(d["replies"].rows_where("lead_id = 1"))["body"]
    deliver(
        demo / "mail",
        mailfactory.reply_to(our_reply, "m.jansen@gemeente-voorbeeld.nl", "Marieke Jansen",
                             "Graag afmelden, ik wil geen mails meer ontvangen.", 77),
    )  # fmt: skip
    code, _, err = run(demo, "poll")
    assert "1 unsubscribe" in err
    jansen = db(demo)["leads"].get(1)
    assert (jansen["status"], jansen["opted_out"]) == ("unsubscribed", 1)
    sent_before = db(demo)["replies"].count

    # A freed seat is not offered to her: cancel Hoekstra's booking and poll.
    with Store(demo / "leads.db") as store:
        store.apply_booking_change(BookingChange("b1", "cancelled"), None, datetime.now(UTC))
    run(demo, "poll")
    assert db(demo)["bookings"].get(waiting)["status"] == WAITLISTED
    # Reminders skip her even when she holds a seat.
    db(demo).execute("update bookings set status = 'confirmed' where id = ?", [waiting])
    db(demo).conn.commit()
    code, _, err = run(demo, "remind", "--days", "400")
    assert err == "reminders: nothing to do\n"
    # And a follow-up by hand is refused.
    code, _, err = run(demo, "replies", "send", "--yes", "--lead", "1", "--template", "reminder")
    assert (code, err) == (
        1,
        "Error: m.jansen@gemeente-voorbeeld.nl opted out: no mail of any kind goes to them\n",
    )
    to_her = db(demo)["replies"].rows_where("lead_id = 1 and id > ?", [0])
    assert db(demo)["replies"].count == sent_before
    assert all(r["created"] <= jansen["updated"] for r in to_her)


def test_an_unsubscribe_by_mail_withdraws_held_replies(demo: Path) -> None:
    from inbox_worker.mail.maildir import deliver

    deliver(demo / "mail", mailfactory.inquiry_nl(3))
    run(demo, "poll", "--hold")
    [held] = db(demo)["replies"].rows_where("status = 'held'")
    deliver(
        demo / "mail",
        mailfactory.reply_to(held["body"], held["to_addr"], "Sanne Bakker 3",
                             "Graag afmelden, ik wil geen mails meer ontvangen.", 78),
    )  # fmt: skip
    code, _, err = run(demo, "poll", "--hold")
    assert code == 0 and "1 unsubscribe" in err
    reply = db(demo)["replies"].get(held["id"])
    assert (reply["status"], reply["last_error"]) == ("suppressed", "lead opted out")
    code, _, err = run(demo, "replies", "approve", str(held["id"]))
    assert (code, err) == (
        1,
        f"Error: reply #{held['id']} is suppressed (lead opted out): nothing to approve\n",
    )
    [event] = db(demo)["events"].rows_where("kind = 'replies_withdrawn'")
    assert json.loads(event["detail"]) == {"count": 1, "reason": "lead opted out"}


def test_an_opt_out_is_undone_only_with_a_reason_and_then_mail_flows_again(demo: Path) -> None:
    """Someone who unsubscribed by mistake: set-status cannot quietly undo it;
    opt-in records when and why, and their next question is answered."""
    from inbox_worker.mail.maildir import deliver

    code, _, err = run(demo, "leads", "set-status", VANLEEUWEN, "new")
    assert code == 1 and "leads opt-in" in err
    assert run(demo, "leads", "opt-in", HOEKSTRA, "--reason", "x")[::2] == (
        1,
        f"Error: {HOEKSTRA} has not opted out\n",
    )
    code, out, _ = run(demo, "leads", "opt-in", VANLEEUWEN, "--reason", "Belde: per ongeluk")
    assert (code, out) == (
        0,
        f"{VANLEEUWEN}: opted in again (unsubscribed -> new); the reason is recorded.\n",
    )
    lead = next(db(demo)["leads"].rows_where("email = ?", [VANLEEUWEN]))
    assert (lead["status"], lead["opted_out"]) == ("new", 0)
    [event] = db(demo)["events"].rows_where("kind = 'opted_in'")
    assert json.loads(event["detail"]) == {"reason": "Belde: per ongeluk"}
    deliver(demo / "mail", mailfactory.inquiry_nl(7, sender=VANLEEUWEN))
    run(demo, "poll")
    replies = list(db(demo)["replies"].rows_where("to_addr = ?", [VANLEEUWEN]))
    assert [r["kind"] for r in replies][-1:] == ["inquiry"]
