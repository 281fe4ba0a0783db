"""Køge resident assistant: everything that is not a Rasa action."""
