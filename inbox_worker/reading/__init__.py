"""Reading (pure): raw bytes -> what a message is and says.

message parses (with mime, decoding, htmltext, quoting, dsn, webform); classify
names the category, machine mail first (machine, intent, phrases/); mentions
and options read which offered session a text chooses; extract gathers the
facts; attention finds what only a person can answer; ourwords recognises our
own text quoted back. Nothing here knows the database or what we will do.
"""
