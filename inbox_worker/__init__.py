"""inbox-worker: a workshop organiser's mailbox as an intake desk.

The engine lives in this package, one folder per stage of the flow: reading/
(bytes -> what a message says), deciding/ (-> what to do), writing/ (-> the
reply), with the outside systems in mail/ and store/, the replies' way out
(queue, caps, delivery) in outbox/, and worker.py running one pass (its
machinery in run/). The organiser's operations are in desk/; `cli.py` at the
top of the repository, with its groups in commands/, is the command line.
"""

from pathlib import Path

__version__ = "0.1.0"

_PACKAGE = Path(__file__).parent


def shipped(name: str) -> Path:
    """A file shipped with inbox-worker: inside the wheel's _data/ when
    installed, else at the top of the checkout, where the organiser edits it."""
    packaged = _PACKAGE / "_data" / name
    return packaged if packaged.exists() else _PACKAGE.parent / name
