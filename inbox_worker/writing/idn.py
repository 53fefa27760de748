"""International domain names: the only module that imports `idna`.

A relay without SMTPUTF8 (RFC 6531) takes only ASCII addresses. A domain
written in Unicode (`exämple.com`) has an ASCII form that every server
understands, its IDNA A-label (`xn--exmple-cua.com`), so it never needs
SMTPUTF8. A local part in Unicode (`jösé@example.com`) has no such form: only a
relay that offers SMTPUTF8 can carry it.

IDNA 2008 with the UTS 46 mapping, as browsers and mail providers use: the
stdlib's "idna" codec is IDNA 2003, which turns `straße.de` into `strasse.de`,
a different domain.
"""

from __future__ import annotations

import idna

__all__ = ["ascii_address", "ascii_domain", "needs_smtputf8"]


def ascii_domain(domain: str) -> str:
    """`domain` as ASCII (A-labels); ValueError when it is not a valid domain name."""
    if domain.isascii():
        return domain
    try:
        return idna.encode(domain, uts46=True).decode("ascii")
    except (idna.IDNAError, UnicodeError) as exc:
        raise ValueError(f"{domain!r} is not a valid international domain name: {exc}") from None


def ascii_address(address: str) -> str:
    """`address` with its domain as A-labels; the local part is left as it is.

    The result is ASCII unless the local part is not; an address without "@"
    comes back unchanged. ValueError when the domain is not a valid name.
    """
    local, at, domain = address.rpartition("@")
    if not at:
        return address
    return f"{local}@{ascii_domain(domain)}"


def needs_smtputf8(address: str) -> bool:
    """Whether `address` can only travel through a relay that offers SMTPUTF8."""
    try:
        return not ascii_address(address).isascii()
    except ValueError:
        return True
