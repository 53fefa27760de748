"""The database schema, as an ordered list of sqlite-utils migrations.

Each migration runs in one transaction together with its record in
`_sqlite_migrations`, so a failed one stays pending and is retried on the
next open. Never edit a migration that has shipped: add a new one.
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

migrations = Migrations("inbox_worker")


@migrations()
def m001_initial(db: Database) -> None:
    db.table("cursors").create(
        {"folder": str, "uidvalidity": int, "last_uid": int, "updated": str}, pk="folder"
    )
    db.table("messages").create(
        {
            "id": int,
            "folder": str,
            "uidvalidity": int,
            "uid": int,
            "message_id": str,
            "in_reply_to": str,
            "references": str,
            "from_addr": str,
            "from_name": str,
            "subject": str,
            "date": str,
            "size": int,
            "raw": bytes,  # gzip-compressed original bytes, kept for reprocessing
            "raw_sha256": str,
            "received": str,
            "text": str,
            "language": str,
            "category": str,
            "reasons": str,  # JSON list of evidence codes
            "facts": str,  # JSON object
            "lead_id": int,
            "state": str,  # new / processed / quarantined
            "error": str,
            "processed": str,
            "attempts": int,
        },
        pk="id",
        not_null={"folder", "uidvalidity", "uid", "raw", "raw_sha256", "state", "received"},
        defaults={"state": "new", "attempts": 0},
    )
    db.table("messages").create_index(["folder", "uidvalidity", "uid"], unique=True)
    db.table("messages").create_index(["state"])
    db.table("messages").create_index(["message_id"])
    db.table("messages").create_index(["raw_sha256"])
    db.table("messages").create_index(["lead_id"])
    db.table("messages").create_index(["category"])

    db.table("leads").create(
        {
            "id": int,
            "email": str,
            "name": str,
            "organisation": str,
            "org_type": str,
            "phone": str,
            "participants": int,
            "language": str,
            "status": str,
            "created": str,
            "updated": str,
            "notes": str,
            "opted_out": int,
        },
        pk="id",
        not_null={"email", "status", "created", "updated", "opted_out"},
        defaults={"status": "new", "opted_out": 0, "notes": ""},
    )
    db.table("leads").create_index(["email"], unique=True)
    db.table("leads").create_index(["status"])
    db.table("leads").create_index(["created"])

    db.table("sessions").create(
        {
            "id": str,
            "title": str,
            "starts": str,
            "ends": str,
            "location": str,
            "capacity": int,
            "removed": int,  # 1: no longer in the config but kept for its bookings
        },
        pk="id",
        defaults={"removed": 0},
    )

    db.table("bookings").create(
        {
            "id": int,
            "lead_id": int,
            "session_id": str,
            "seats": int,
            "status": str,  # confirmed / waitlisted / cancelled
            "created": str,
            "updated": str,
            "ics_sequence": int,
        },
        pk="id",
        foreign_keys=[("lead_id", "leads", "id"), ("session_id", "sessions", "id")],
        defaults={"ics_sequence": 0},
    )
    db.table("bookings").create_index(["lead_id"])
    db.table("bookings").create_index(["session_id", "status"])

    db.table("replies").create(
        {
            "id": int,
            "lead_id": int,
            "in_reply_to": int,  # messages.id of the message answered
            "kind": str,  # template name
            "to_addr": str,
            "language": str,
            "subject": str,
            "message_id": str,  # ours, fixed when queued so a resend can be recognised
            "body": bytes,  # the complete rendered email
            "offered": str,  # JSON: [{number, session_id}] as listed in this reply
            "status": str,  # held / pending / sending / sent / failed / suppressed / rejected
            "attempts": int,
            "next_attempt_at": str,
            "last_error": str,
            "created": str,
            "sent": str,
        },
        pk="id",
        foreign_keys=[("lead_id", "leads", "id"), ("in_reply_to", "messages", "id")],
        not_null={"to_addr", "kind", "status", "message_id", "created"},
        defaults={"attempts": 0},
    )
    db.table("replies").create_index(["status", "next_attempt_at"])
    db.table("replies").create_index(["message_id"], unique=True)
    db.table("replies").create_index(["to_addr", "kind", "created"])
    db.table("replies").create_index(["lead_id"])

    db.table("events").create(
        {
            "id": int,
            "ts": str,
            "lead_id": int,
            "message_id": int,  # messages.id, when a message caused it
            "kind": str,
            "detail": str,  # JSON
        },
        pk="id",
    )
    db.table("events").create_index(["lead_id"])
    db.table("events").create_index(["kind"])

    db.table("messages").enable_fts(
        ["subject", "text", "from_name", "from_addr"], create_triggers=True
    )
    db.table("leads").enable_fts(["email", "name", "organisation", "notes"], create_triggers=True)


@migrations()
def m002_bookings_by_email(db: Database) -> None:
    # Which booking a reply is about: its calendar invite, and the once-per-booking
    # rules (a confirmation is not repeated, a reminder is sent once).
    db.table("replies").add_column("booking_id", int)
    db.table("replies").create_index(["booking_id", "kind"])
    # A waitlisted booking may stand in for a confirmed one the lead gives up
    # once it is confirmed (a change of mind to a full session).
    db.table("bookings").add_column("replaces", int)


@migrations()
def m003_desk_indexes(db: Database) -> None:
    # What the organiser's desk filters, joins and sorts on (leads list/show/search,
    # stats, export, erase, purge), so each is one indexed query, not a table scan.
    db.table("leads").create_index(["org_type"])
    db.table("leads").create_index(["updated"])
    db.table("messages").create_index(["lead_id", "category"])
    db.table("messages").create_index(["received"])
    db.table("messages").create_index(["from_addr"])
    db.table("replies").create_index(["in_reply_to"])
    db.table("replies").create_index(["lead_id", "status"])
    db.table("events").create_index(["message_id"])


@migrations()
def m004_stats_covering_indexes(db: Database) -> None:
    # `stats` groups 500,000 messages by category and by day, and joins every
    # sent reply to its message; rows carry the raw mail, so a scan of the
    # table reads it all. These indexes hold every column those queries touch.
    db.table("messages").create_index(["category", "state"])
    db.table("messages").create_index(["category", "received"])
    db.table("replies").create_index(["status", "in_reply_to", "sent"])


@migrations()
def m005_fts_triggers_on_indexed_columns(db: Database) -> None:
    # enable_fts() re-indexes a row on every UPDATE, and a pass updates each
    # lead's status and each message's verdict; only a change to an indexed
    # column needs the full-text index touched.
    for table, columns in (
        ("leads", ("email", "name", "organisation", "notes")),
        ("messages", ("subject", "text", "from_name", "from_addr")),
    ):
        cols = ", ".join(f'"{c}"' for c in columns)
        old = ", ".join(f'old."{c}"' for c in columns)
        new = ", ".join(f'new."{c}"' for c in columns)
        db.execute(f'DROP TRIGGER IF EXISTS "{table}_au"')
        db.execute(
            f'CREATE TRIGGER "{table}_au" AFTER UPDATE OF {cols} ON "{table}" BEGIN\n'
            f'  INSERT INTO "{table}_fts" ("{table}_fts", rowid, {cols})'
            f" VALUES('delete', old.rowid, {old});\n"
            f'  INSERT INTO "{table}_fts" (rowid, {cols}) VALUES (new.rowid, {new});\n'
            "END"
        )


@migrations()
def m006_stats_tallies(db: Database) -> None:
    # `stats` read every message, lead and reply it counted: half a million
    # rows for a few dozen figures. These tables hold the figures instead,
    # kept by triggers inside the transaction that changes the rows they
    # count, so they cannot drift; each is filled from the existing rows
    # before its triggers exist. Ids, dates and counts only: nothing personal
    # to erase.
    for statement in _M006:
        db.execute(statement)


def _message_key(row: str) -> str:
    # What `stats` counts a message by: its category (or, not yet
    # classified, its state) and the day it arrived.
    return f"coalesce({row}.category, {row}.state), substr({row}.received, 1, 10)"


def _org_type(row: str) -> str:
    return f"coalesce(nullif({row}.org_type, ''), 'unknown')"


def _offers(row: str) -> str:
    # The sessions a reply offered, for the FROM clause. A rejected or failed
    # reply never reached the lead; unreadable JSON offers nothing rather than
    # failing the write of the reply.
    return (
        f"json_each(CASE WHEN json_valid({row}.offered) THEN {row}.offered ELSE '[]' END) AS j"
        f" WHERE j.type = 'object' AND json_extract(j.value, '$.session_id') IS NOT NULL"
        f" AND {row}.lead_id IS NOT NULL AND {row}.status NOT IN ('rejected', 'failed')"
    )


def _reply_minutes(reply: str, where: str) -> str:
    # `where`: FROM ... WHERE ... giving the replies as `reply`, each with its message `m`.
    return (
        "INSERT INTO stats_reply_minutes (reply_id, minutes) SELECT id, minutes FROM ("
        f" SELECT {reply}.id AS id,"
        f"  (julianday({reply}.sent) - julianday(m.received)) * 1440.0 AS minutes"
        f" {where} AND {reply}.status = 'sent' AND {reply}.sent IS NOT NULL"
        ") WHERE minutes IS NOT NULL;"
    )


_MESSAGE_ADD = (
    f"INSERT INTO stats_message_days (category, day, n) VALUES ({_message_key('new')}, 1)"
    " ON CONFLICT (category, day) DO UPDATE SET n = n + 1;"
)
_MESSAGE_REMOVE = (
    f"UPDATE stats_message_days SET n = n - 1 WHERE (category, day) = ({_message_key('old')});"
)
_NEW_REPLY_MINUTES = _reply_minutes("new", "FROM messages m WHERE m.id = new.in_reply_to")
_REPLIES_TO_NEW = "FROM replies r JOIN messages m ON m.id = r.in_reply_to WHERE m.id = new.id"
_OFFERS_ADD = (
    "INSERT INTO stats_offered_leads (lead_id, session_id, replies)"
    " SELECT DISTINCT new.lead_id, json_extract(j.value, '$.session_id'), 1"
    f" FROM {_offers('new')}"
    " ON CONFLICT (lead_id, session_id) DO UPDATE SET replies = replies + 1;"
)
_OFFERS_REMOVE = (
    "UPDATE stats_offered_leads SET replies = replies - 1 WHERE lead_id = old.lead_id"
    f" AND session_id IN (SELECT json_extract(j.value, '$.session_id') FROM {_offers('old')});"
    " DELETE FROM stats_offered_leads WHERE lead_id = old.lead_id AND replies <= 0;"
)
_ORG_TYPE_ADD = (
    f"INSERT INTO stats_org_types (org_type, leads) VALUES ({_org_type('new')}, 1)"
    " ON CONFLICT (org_type) DO UPDATE SET leads = leads + 1;"
)
_ORG_TYPE_REMOVE = (
    f"UPDATE stats_org_types SET leads = leads - 1 WHERE org_type = {_org_type('old')};"
)

_M006 = (
    # Messages per category per day: `stats` sums them by category, and
    # shows the inquiries by week. Rows counted down to 0 stay, unread.
    "CREATE TABLE stats_message_days (category TEXT NOT NULL, day TEXT NOT NULL,"
    " n INTEGER NOT NULL, PRIMARY KEY (category, day)) WITHOUT ROWID",
    "INSERT INTO stats_message_days (category, day, n)"
    f" SELECT {_message_key('messages')}, count(*) FROM messages GROUP BY 1, 2",
    f"CREATE TRIGGER stats_messages_ai AFTER INSERT ON messages BEGIN {_MESSAGE_ADD} END",
    f"CREATE TRIGGER stats_messages_ad AFTER DELETE ON messages BEGIN {_MESSAGE_REMOVE} END",
    "CREATE TRIGGER stats_messages_au AFTER UPDATE OF category, state, received ON messages"
    f" WHEN ({_message_key('old')}) IS NOT ({_message_key('new')})"
    f" BEGIN {_MESSAGE_REMOVE} {_MESSAGE_ADD} END",
    #
    # Minutes from a message's arrival to our reply leaving, one row per sent
    # reply, indexed so that the median and p90 are found by walking the
    # index, not by sorting every reply.
    "CREATE TABLE stats_reply_minutes (reply_id INTEGER PRIMARY KEY, minutes REAL NOT NULL)",
    "CREATE INDEX idx_stats_reply_minutes_minutes ON stats_reply_minutes (minutes)",
    _reply_minutes("r", "FROM replies r JOIN messages m ON m.id = r.in_reply_to WHERE 1"),
    "CREATE TRIGGER stats_replies_minutes_ai AFTER INSERT ON replies WHEN new.status = 'sent'"
    f" BEGIN {_NEW_REPLY_MINUTES} END",
    "CREATE TRIGGER stats_replies_minutes_au AFTER UPDATE OF status, sent, in_reply_to ON replies"
    " WHEN old.status = 'sent' OR new.status = 'sent' BEGIN"
    f" DELETE FROM stats_reply_minutes WHERE reply_id = old.id; {_NEW_REPLY_MINUTES} END",
    "CREATE TRIGGER stats_replies_minutes_ad AFTER DELETE ON replies WHEN old.status = 'sent'"
    " BEGIN DELETE FROM stats_reply_minutes WHERE reply_id = old.id; END",
    # The message answered: its arrival time changed, or it went.
    "CREATE TRIGGER stats_messages_minutes_au AFTER UPDATE OF received ON messages"
    " WHEN old.received IS NOT new.received BEGIN"
    " DELETE FROM stats_reply_minutes"
    " WHERE reply_id IN (SELECT id FROM replies WHERE in_reply_to = new.id);"
    f" {_reply_minutes('r', _REPLIES_TO_NEW)} END",
    "CREATE TRIGGER stats_messages_minutes_ad AFTER DELETE ON messages BEGIN"
    " DELETE FROM stats_reply_minutes"
    " WHERE reply_id IN (SELECT id FROM replies WHERE in_reply_to = old.id); END",
    #
    # Sessions offered: per (lead, session) the replies that offered it, and
    # per session the leads with such a row, kept by the rows coming and going.
    "CREATE TABLE stats_offered_leads (lead_id INTEGER NOT NULL, session_id TEXT NOT NULL,"
    " replies INTEGER NOT NULL, PRIMARY KEY (lead_id, session_id)) WITHOUT ROWID",
    "CREATE TABLE stats_session_offers (session_id TEXT PRIMARY KEY, leads INTEGER NOT NULL)"
    " WITHOUT ROWID",
    "INSERT INTO stats_offered_leads (lead_id, session_id, replies)"
    " SELECT lead_id, session_id, count(*) FROM ("
    "  SELECT DISTINCT r.id, r.lead_id, json_extract(j.value, '$.session_id') AS session_id"
    f"  FROM replies r, {_offers('r')}"
    ") GROUP BY 1, 2",
    "INSERT INTO stats_session_offers (session_id, leads)"
    " SELECT session_id, count(*) FROM stats_offered_leads GROUP BY 1",
    "CREATE TRIGGER stats_offered_leads_ai AFTER INSERT ON stats_offered_leads BEGIN"
    " INSERT INTO stats_session_offers (session_id, leads) VALUES (new.session_id, 1)"
    " ON CONFLICT (session_id) DO UPDATE SET leads = leads + 1; END",
    "CREATE TRIGGER stats_offered_leads_ad AFTER DELETE ON stats_offered_leads BEGIN"
    " UPDATE stats_session_offers SET leads = leads - 1 WHERE session_id = old.session_id; END",
    f"CREATE TRIGGER stats_replies_offered_ai AFTER INSERT ON replies BEGIN {_OFFERS_ADD} END",
    f"CREATE TRIGGER stats_replies_offered_ad AFTER DELETE ON replies BEGIN {_OFFERS_REMOVE} END",
    "CREATE TRIGGER stats_replies_offered_au AFTER UPDATE OF status, lead_id, offered ON replies"
    " WHEN (old.status IN ('rejected', 'failed')) IS NOT (new.status IN ('rejected', 'failed'))"
    " OR old.lead_id IS NOT new.lead_id OR old.offered IS NOT new.offered"
    f" BEGIN {_OFFERS_REMOVE} {_OFFERS_ADD} END",
    #
    # Leads per organisation type.
    "CREATE TABLE stats_org_types (org_type TEXT PRIMARY KEY, leads INTEGER NOT NULL)"
    " WITHOUT ROWID",
    "INSERT INTO stats_org_types (org_type, leads)"
    f" SELECT {_org_type('leads')}, count(*) FROM leads GROUP BY 1",
    f"CREATE TRIGGER stats_leads_ai AFTER INSERT ON leads BEGIN {_ORG_TYPE_ADD} END",
    f"CREATE TRIGGER stats_leads_ad AFTER DELETE ON leads BEGIN {_ORG_TYPE_REMOVE} END",
    "CREATE TRIGGER stats_leads_au AFTER UPDATE OF org_type ON leads"
    f" WHEN {_org_type('old')} IS NOT {_org_type('new')}"
    f" BEGIN {_ORG_TYPE_REMOVE} {_ORG_TYPE_ADD} END",
    #
    # Erasures and purges are a handful of events among hundreds of thousands;
    # indexed apart, `stats` finds them without reading the others.
    "CREATE INDEX idx_events_kind_removed ON events (kind) WHERE kind IN ('erased', 'purged')",
    # `leads search` turns each matching message into its lead from this index,
    # without reading the message rows (which hold the mail itself).
    "CREATE INDEX idx_messages_id_lead_id ON messages (id, lead_id)",
)


@migrations()
def m007_sent_copies_to_file(db: Database) -> None:
    # A reply is marked sent before its copy goes to the Sent folder, so a
    # pass stopped in between must still file it: 0 means the reply is out and
    # its copy still to be filed; 1 filed; NULL nothing to file (no copies kept).
    db.table("replies").add_column("filed", int)
    db.execute("CREATE INDEX idx_replies_to_file ON replies (id) WHERE filed = 0")


@migrations()
def m008_attention_told(db: Database) -> None:
    # `digest` tells the organiser once about each lead waiting for a person.
    # What put a lead in needs_attention is an event logged just after its
    # status is set (the decision on a message, a reply refused for good, the
    # organiser's own hand), so a trigger notes the last event id at that
    # moment: the lead's first such event after it is the cause. Setting the
    # status again, for a new message, starts a new spell to tell. Ids and a
    # date only: erasing the lead removes its row.
    for statement in _M008:
        db.execute(statement)


_ATTENTION_CAUSES = "('decision', 'reply_failed', 'status_set')"
_MARK_ATTENTION = (
    "INSERT INTO attention (lead_id, after_event)"
    " VALUES (new.id, (SELECT coalesce(max(id), 0) FROM events))"
    " ON CONFLICT (lead_id) DO UPDATE SET after_event = excluded.after_event, told = NULL;"
)

_M008 = (
    "CREATE TABLE attention (lead_id INTEGER PRIMARY KEY REFERENCES leads (id) ON DELETE CASCADE,"
    " after_event INTEGER NOT NULL, told TEXT)",
    "CREATE INDEX idx_attention_untold ON attention (lead_id) WHERE told IS NULL",
    # Leads already waiting: their latest such event is the best guess at the cause.
    "INSERT INTO attention (lead_id, after_event)"
    " SELECT l.id, coalesce((SELECT max(e.id) FROM events e WHERE e.lead_id = l.id"
    f"   AND e.kind IN {_ATTENTION_CAUSES}) - 1, (SELECT coalesce(max(id), 0) FROM events))"
    " FROM leads l WHERE l.status = 'needs_attention'",
    "CREATE TRIGGER attention_leads_ai AFTER INSERT ON leads"
    f" WHEN new.status = 'needs_attention' BEGIN {_MARK_ATTENTION} END",
    # OF status: fires whenever a write names the status, also when it was
    # needs_attention already; a write that leaves the status out does not.
    "CREATE TRIGGER attention_leads_au AFTER UPDATE OF status ON leads"
    f" WHEN new.status = 'needs_attention' BEGIN {_MARK_ATTENTION} END",
)


@migrations()
def m009_sessions_cancelled(db: Database) -> None:
    # `sessions cancel`: when the organiser called a session off. A cancelled
    # session stays for its bookings' history (the invites withdrawn, the
    # attendee list), but is never offered or booked again, also while it is
    # still in the config. NULL: not cancelled.
    db.table("sessions").add_column("cancelled", str)


@migrations()
def m010_erased_addresses(db: Database) -> None:
    # An erase must last: the same person's old mail, read again after a
    # restored folder or a new UIDVALIDITY, must not bring their lead back.
    # What is kept of them is a keyed hash of the address (HMAC-SHA256 under a
    # salt made for this database), never the address: enough to recognise
    # it when it writes again, not to read it back.
    db.execute(
        "CREATE TABLE erasure_salt (id INTEGER PRIMARY KEY CHECK (id = 1), salt TEXT NOT NULL)"
    )
    db.execute("INSERT INTO erasure_salt (id, salt) VALUES (1, lower(hex(randomblob(32))))")
    db.execute("CREATE TABLE erased_addresses (digest TEXT PRIMARY KEY) WITHOUT ROWID")
