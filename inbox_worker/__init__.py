"""inbox-worker: a workshop organiser's mailbox as an intake desk.

The engine lives in this package; `cli.py` at the top of the repository is the
command line over it. Pure modules (message, classify, extract, workflow,
render) take their inputs, time included, as arguments; the edges (imap,
maildir, smtp, store) own one outside system each.
"""

__version__ = "0.1.0"
