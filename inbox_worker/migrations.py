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
