"""The outside mail systems, one module each: what the worker reads and sends through.

source defines the mailbox the worker sees (MailSource); imap and maildir
implement it; smtp sends (or writes the file outbox); oauth2 keeps the
tokens for XOAUTH2 and oauth2_flows asks the provider for them.
"""
