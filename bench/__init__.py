"""Benchmarks and evaluations (see bench/README.md)."""
import os

# Rasa reports crashes and usage over the network unless told not to; the
# Makefile says so for make targets, this for `python -m bench...`.
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
