"""``python -m bot.prepare [--rasa-files DIR]``: what the servers need before they start.

``make run`` does this itself (bot/run.py). Where a service manager starts each
server on its own (deploy/systemd/), this runs first:

- it migrates the answer store and, the first time, seeds it from
  ``KNOWLEDGE_DIR`` (once, before the servers start, so two of them starting on
  an empty store never both seed it: ``bot.services.prepare_answer_store``);
- with ``--rasa-files DIR`` it also writes ``credentials.yml`` and
  ``endpoints.yml`` for the Rasa server into DIR, made from the same settings as
  under ``make run``: the SMS channels whose variables are set, the action server
  at ``ACTION_SERVER_URL`` (or on ``ACTION_PORT`` on this machine), the lock
  store at ``LOCK_STORE_URL``. Neither file holds a secret: they say ``${VAR}``,
  and Rasa reads the value from its own environment.

What it prints is for the operator reading the journal, so it is in Danish.
"""
import argparse
import sys
from pathlib import Path
from typing import List, Optional

DESCRIPTION = ("migrate and (the first time) seed the answer store; with --rasa-files, also write the "
               "Rasa server's credentials.yml and endpoints.yml")
def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--rasa-files", type=Path, metavar="DIR",
                        help="also write credentials.yml and endpoints.yml for the Rasa server into DIR")


def add_command(commands) -> None:
    """Add ``prepare`` to the subcommands of ``python -m bot``."""
    prepare = commands.add_parser("prepare", help=DESCRIPTION, description=DESCRIPTION)
    add_arguments(prepare)
    prepare.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    # Imported here: SQLAlchemy and Alembic load only when the command runs, not with ``python -m bot --help``.
    import sqlalchemy as sa

    from bot.knowledge import KnowledgeError
    from bot.services import prepare_answer_store, write_rasa_files

    try:
        if args.rasa_files is not None:
            credentials, endpoints = write_rasa_files(args.rasa_files)
            print(f"Rasa-serverens filer er skrevet: {credentials} og {endpoints}.", flush=True)
        has_staff = prepare_answer_store()
    except (ValueError, OSError, KnowledgeError, sa.exc.SQLAlchemyError) as error:
        print(f"Assistenten kunne ikke gøres klar til start: {error}", file=sys.stderr, flush=True)
        return 1
    print("Svardatabasen er klar." + ("" if has_staff else
          " Der er endnu ingen medarbejderkonto: opret den første med "
          "'python -m bot users add NAVN --admin' (docs/operations.md)."), flush=True)
    return 0


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.prepare", description=DESCRIPTION)
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
