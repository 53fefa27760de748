"""The rows `inbox-worker stats` is built from, read from the tallies the database keeps.

Triggers count most of what `stats` shows as it happens (migrations.m006);
`stats_rows` reads those few hundred rows in one snapshot, and of the reply
times only the ones the median and the 90th percentile are made of
(`reply_ranks`). desk/stats.py turns the rows into the report.
"""

from __future__ import annotations

from typing import Any

from .database import StoreDatabase

# Most of what `stats` shows is counted as it happens, by triggers, into the
# stats_* tables (migrations.m006_stats_tallies); these read a few hundred rows.
# A row counted down to 0 stays in its table and is skipped here.

SQL_STATS_INQUIRY_DAYS = """
select day, n from stats_message_days where category = 'inquiry' and n > 0 order by day
"""

SQL_STATS_OFFERED = """
select session_id, leads from stats_session_offers where leads > 0
"""

SQL_STATS_BOOKINGS = """
select s.id as session_id, s.starts, s.location, s.capacity,
  count(distinct case when b.status = 'confirmed' then b.lead_id end) as booked,
  coalesce(sum(case when b.status = 'confirmed' then b.seats end), 0) as seats,
  count(distinct case when b.status = 'waitlisted' then b.lead_id end) as waiting,
  count(distinct case when b.status = 'cancelled' then b.lead_id end) as cancelled
from sessions s left join bookings b on b.session_id = s.id
group by s.id order by s.starts
"""

# Leads per type from the tally; who booked from the bookings, which are few.
SQL_STATS_ORG_TYPES = """
select t.org_type, t.leads, coalesce(b.booked, 0) as booked
from stats_org_types t left join (
  select coalesce(nullif(org_type, ''), 'unknown') as org_type, count(*) as booked
  from leads where id in (select lead_id from bookings where status = 'confirmed')
  group by 1
) b on b.org_type = t.org_type
where t.leads > 0
order by t.leads desc, t.org_type
"""

# Reply times: how many, and the one at a given rank from the shortest (or,
# DESC, from the longest), found by walking the index on minutes.
SQL_STATS_REPLIES_SENT = "select count(*) from stats_reply_minutes"

SQL_STATS_REPLY_MINUTES_AT = """
select minutes from stats_reply_minutes order by minutes {order} limit 1 offset ?
"""

SQL_STATS_CATEGORIES = """
select category, sum(n) as n from stats_message_days
group by category having sum(n) > 0 order by category
"""

# Answered from a partial index of these two kinds (m006).
SQL_STATS_REMOVED = """
select kind, detail from events where kind in ('erased', 'purged')
"""


# desk/stats.py takes the median and the p90 from the times at these ranks.
def reply_ranks(sent: int) -> list[int]:
    """Which of `sent` reply times, counted from the shortest (0), the median and
    the p90 are made of: the middle one or two, and the p90's."""
    if not sent:
        return []
    return sorted({(sent - 1) // 2, sent // 2, p90_rank(sent)})


def p90_rank(sent: int) -> int:
    return min(sent - 1, round(0.9 * (sent - 1)))


class Stats(StoreDatabase):
    """The stats rows and tallies."""

    def stats_rows(self) -> dict[str, list[dict[str, Any]]]:
        """The raw material of `inbox-worker stats`, read from one snapshot.

        Of the reply times only those at the ranks the median and the p90 are
        made of (reply_ranks) are read, with their count.
        """
        with self._snapshot():
            sent: int = self.conn.execute(SQL_STATS_REPLIES_SENT).fetchone()[0]
            return {
                "inquiry_days": list(self._query(SQL_STATS_INQUIRY_DAYS)),
                "offered": list(self._query(SQL_STATS_OFFERED)),
                "sessions": list(self._query(SQL_STATS_BOOKINGS)),
                "org_types": list(self._query(SQL_STATS_ORG_TYPES)),
                "replies_sent": [{"n": sent}],
                "reply_minutes": [
                    {"rank": rank, "minutes": self._reply_minutes_at(rank, sent)}
                    for rank in reply_ranks(sent)
                ],
                "categories": list(self._query(SQL_STATS_CATEGORIES)),
                "removed": list(self._query(SQL_STATS_REMOVED)),
            }

    def _reply_minutes_at(self, rank: int, count: int) -> float:
        """The reply time at `rank` (0: the shortest of `count`), walked to from the nearer end."""
        order, offset = ("asc", rank) if rank < count // 2 else ("desc", count - 1 - rank)
        row = self.conn.execute(SQL_STATS_REPLY_MINUTES_AT.format(order=order), [offset])
        minutes: float = row.fetchone()[0]
        return minutes
