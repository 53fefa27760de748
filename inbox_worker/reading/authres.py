"""Authentication-Results (RFC 8601): did the organiser's own server vouch for the sender? (pure)

Anyone can write `From: alice@...`; a cancellation, move or unsubscribe acts
for Alice only when something she alone could do backs it. One such proof is
the verdict of the organiser's receiving server: DMARC pass for the From
domain, or a DKIM signature of that domain (aligned, RFC 7489 §3.1.1).

Only the topmost Authentication-Results header that carries the configured
authserv-id counts: the receiving server prepends its own, so a header with
our id further down was written by someone else (RFC 8601 §5 asks servers to
remove those; not every server does).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

_COMMENT_RE = re.compile(r"\([^()]*\)")
_RESULT_RE = re.compile(r"^\s*([a-z0-9_-]+)\s*=\s*([a-z]+)\b(.*)$", re.S)
_PROP_RE = re.compile(r"\b(header\.(?:from|d|i))\s*=\s*\"?([^\s;\"]+)")


def vouched_sender(headers: Mapping[str, Sequence[str]], from_addr: str, authserv_id: str) -> str:
    """The evidence code ("auth:dmarc=pass", "auth:dkim=pass") when the server
    named authserv_id vouches for from_addr's domain, else ""."""
    if not authserv_id or "@" not in from_addr:
        return ""
    domain = from_addr.rpartition("@")[2].lower()
    for value in headers.get("authentication-results", ()):
        clauses = _COMMENT_RE.sub(" ", value.lower()).split(";")
        server = clauses[0].split()
        if not server or server[0] != authserv_id:
            continue
        return _verdict(clauses[1:], domain)  # the topmost of ours only
    return ""


def _verdict(clauses: Sequence[str], domain: str) -> str:
    dkim = ""
    for clause in clauses:
        m = _RESULT_RE.match(clause)
        if m is None:
            continue
        method, result, rest = m.groups()
        props = dict(_PROP_RE.findall(rest))
        if method == "dmarc" and result == "pass":
            # DMARC is about the From domain by definition; when the server names
            # the domain it checked, it must be this one.
            if props.get("header.from", domain) == domain:
                return "auth:dmarc=pass"
        elif method == "dmarc":
            return ""  # an explicit DMARC failure outweighs any DKIM pass
        elif method == "dkim" and result == "pass" and not dkim:
            signer = props.get("header.d") or props.get("header.i", "").rpartition("@")[2]
            if signer and _aligned(signer, domain):
                dkim = "auth:dkim=pass"
    return dkim


def _aligned(signer: str, domain: str) -> bool:
    """Relaxed alignment, simplified: the signing domain is the From domain or a
    parent of it with at least two labels (never a bare TLD)."""
    return domain == signer or (signer.count(".") >= 1 and domain.endswith("." + signer))
