"""The outbox: replies queued in the `replies` table, capped, and sent.

`queue` turns a planned reply into a stored row (reading the bookings and
sessions its text needs, rendering it with writing.compose); `caps` keeps a
flood of mail from turning into a flood of replies; `deliver` sends what is
due and files the copies in the Sent folder, safe against a crash at any
point. The table between them is the durable hand-over: a reply is queued
with the decision that made it and sent by whichever pass comes next.
"""
