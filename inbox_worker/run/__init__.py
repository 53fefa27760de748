"""The machinery of a pass, beside worker.py which runs it.

guard: one pass per database, and a failing database stops it cleanly;
pipeline and parallel: stored mail read ahead of deciding, in child processes
when there is much of it; recording: what a decision changes in the store;
report: the pass counted and told in one line; dryrun: what a dry run tells;
stranded: sessions taken out of the config with people still on them.
"""
