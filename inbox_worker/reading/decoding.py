"""Decoding what mail carries: charsets, RFC 2047 header words, dates, one-line values (pure).

Owns turning header values and body bytes into text whatever their labels
claim (a wrong or unknown charset never raises; iso-8859-1 is read as the
cp1252 it nearly always is), folding a value onto one line so no control
character reaches a header or a log, and reading a Date header quickly in the
shape nearly all mail has. message.py builds a ParsedMessage with these.
"""

from __future__ import annotations

import codecs
import re
from datetime import datetime, timedelta, timezone
from email.header import decode_header
from email.utils import parsedate_to_datetime

_CTRL_RE = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]+")
# The control characters above that are not whitespace: without them, str.split()
# (which splits where the regex's \s matches) folds a value in one C call.
_NON_SPACE_CTRL_RE = re.compile(r"[\x00-\x08\x0e-\x1b\x7f]")
_WS_RE = re.compile(r"\s+")
_SURROGATE_RE = re.compile("[\udc80-\udcff]")
# The date shape nearly all mail has ("Tue, 12 Jan 2027 10:12:00 +0100"), read
# here as email.utils reads it; anything else goes to email.utils.
_DATE_RE = re.compile(
    r"(?:[A-Z][a-z]{2}, )?(\d{1,2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
    r"(\d{4}) (\d\d):(\d\d):(\d\d) ([+-])(\d\d)(\d\d)(?: \([^()\n]*\))?"
)
_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTHS = {m: i for i, m in enumerate(_MONTH_NAMES, 1)}
_CHARSET_ALIASES = {
    "ks_c_5601-1987": "cp949",
    "x-unknown": "utf-8",
    "unknown-8bit": "utf-8",
    "us-ascii": "utf-8",  # mislabelled 8-bit text is usually UTF-8
    "ascii": "utf-8",
    "iso-8859-1": "cp1252",  # the de-facto meaning in mail
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "x-user-defined": "cp1252",
    "utf8": "utf-8",
    "cp-850": "cp850",
}


def _codec(charset: str | None) -> str:
    name = (charset or "").strip().strip('"').lower()
    name = _CHARSET_ALIASES.get(name, name)
    if not name:
        return "utf-8"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return "utf-8"


def decode_bytes(data: bytes, charset: str | None) -> str:
    """Bytes in a declared charset -> str; a wrong or unknown label never raises."""
    codec = _codec(charset)
    if codec == "utf-8":
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return data.decode("cp1252", errors="replace")
    try:
        return data.decode(codec, errors="replace")
    except Exception:  # some codecs raise other errors on junk input
        return data.decode("utf-8", errors="replace")


def raw_header_str(value: object) -> str:
    """A compat32 header value (str with surrogate-escaped 8-bit bytes) -> str."""
    text = value if isinstance(value, str) else str(value)
    if not text.isascii() and _SURROGATE_RE.search(text):
        data = text.encode("ascii", errors="surrogateescape")
        return decode_bytes(data, "utf-8")
    return text


def decode_header_value(value: object) -> str:
    """Decode RFC 2047 words and raw 8-bit bytes; unfold; never raises."""
    text = raw_header_str(value)
    if "=?" not in text and text.isprintable():
        return text.strip()
    if "=?" in text:
        try:
            parts = decode_header(text)
            out: list[str] = []
            for chunk, charset in parts:
                if isinstance(chunk, bytes):
                    out.append(decode_bytes(chunk, charset))
                else:
                    out.append(chunk)
            text = "".join(out)
        except Exception:  # malformed encoded words: keep the raw text
            pass
    return one_line(text)


def one_line(text: str) -> str:
    """Fold CR, LF and other control characters away (header-injection safety)."""
    if _NON_SPACE_CTRL_RE.search(text) is None:
        return " ".join(text.split())
    return _one_line_plain(text)


def _one_line_plain(text: str) -> str:
    """one_line as regexes: the reference the translate form is tested against."""
    return _WS_RE.sub(" ", _CTRL_RE.sub(" ", text)).strip()


def parse_date(value: str) -> datetime:
    """email.utils.parsedate_to_datetime(value), and the same ValueError, faster."""
    m = _DATE_RE.fullmatch(value)
    if m is not None:
        day, month, year, hour, minute, second, sign, tz_h, tz_m = m.groups()
        offset = int(tz_h) * 3600 + int(tz_m) * 60
        try:
            if int(year) >= 100:  # two-digit years get a century from email.utils
                args = (int(year), _MONTHS[month], int(day), int(hour), int(minute), int(second))
                if offset == 0 and sign == "-":
                    return datetime(*args)  # -0000: the zone is unknown, a naive time
                return datetime(
                    *args, tzinfo=timezone(timedelta(seconds=-offset if sign == "-" else offset))
                )
        except (ValueError, OverflowError):
            pass  # out of range: email.utils raises its own error
    return parsedate_to_datetime(value)
