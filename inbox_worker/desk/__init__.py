"""The organiser's operations the command line calls, beyond a pass.

Bookings by hand (byhand), calling a session off (sessions), a lead's
conversation and follow-up replies (followup), re-reading stored mail with
better rules (reprocess), checking the set-up (doctor), exports, the stats
report and the demo. Each goes through the same store, decisions and outbox
as a pass does; commands/ parses the options and prints.
"""
