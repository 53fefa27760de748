"""The commands of the command line, one module per group or kind of work.

cli.py at the top of the repository is their table of contents: it holds the
root group and adds these in the order a user meets them. The commands import
the engine (inside the functions, so that building the command tree stays
cheap); the engine never imports them.
"""
