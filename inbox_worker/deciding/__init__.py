"""Deciding (pure): a message read in its conversation with us -> a Decision.

conversation reads a message against what we sent that person (their last
offer, confirmation, waitlist place); workflow decides per category, with
etiquette (whom we never answer, how often) and authority (for whom a message
acts, and what it may take away); booking holds the seats and the waitlist.
Time and data come in as arguments; nothing here reads the store.
"""
