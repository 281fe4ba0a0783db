"""Command line: ``python -m bot run | web | retention | check-knowledge | users | backup | restore | prepare | reviews``."""
import argparse
import getpass
import sys


def _run(args) -> int:
    from bot.run import main

    return main()


def _web(args) -> int:
    from bot.web.server import main

    return main()


def _retention(args) -> int:
    from bot.config import PrivacySettings, Settings
    from bot.privacy.retention import answer_store_beside, delete_old_callback_requests, delete_old_sms_replies, \
        run_once

    settings = PrivacySettings.once()
    days = settings.retention_days if args.days is None else args.days
    deleted = run_once(settings, days)
    sms_replies = delete_old_sms_replies(Settings.once().sms_data_dir, days)
    callbacks = delete_old_callback_requests(answer_store_beside(settings), days)
    print(f"Samtaler ældre end {days:g} dage er slettet: {deleted['conversations']} samtaler, "
          f"{deleted['events']} hændelser, {sms_replies} SMS-svar, der ikke kunne sendes, "
          f"{callbacks} ønsker om at blive ringet op.")
    return 0


def _check_knowledge(args) -> int:
    from bot.config import Settings
    from bot.knowledge import KnowledgeError, load_directory

    directory = args.directory or Settings.once().knowledge_dir
    try:
        kb = load_directory(directory)
    except KnowledgeError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"Svardata er i orden: {len(kb.entries)} poster i {directory}.")
    return 0


def _read_password(args) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Adgangskode (mindst 10 tegn): ")
    if getpass.getpass("Gentag adgangskoden: ") != first:
        raise SystemExit("De to adgangskoder er ikke ens. Prøv igen.")
    return first


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "ukendt"


def _users(args) -> int:
    from bot.answer_store import AnswerStore, StaffError

    store = AnswerStore.open()
    by = f"shell:{_os_user()}"  # the audit log names who ran the command
    try:
        if args.action == "list":
            for user in store.staff.list():
                role = "administrator" if user.is_admin else "medarbejder"
                print(f"{user.name}\t{role}\t{'aktiv' if user.active else 'lukket'}")
        elif args.action == "add":
            user = store.staff.add(args.name, _read_password(args), is_admin=args.admin, by=by)
            print(f"Medarbejderen '{user.name}' er oprettet{' som administrator' if user.is_admin else ''}.")
        elif args.action == "password":
            store.staff.set_password(args.name, _read_password(args), by=by)
            print(f"Adgangskoden for '{args.name}' er skiftet.")
        else:
            store.staff.set_active(args.name, args.action == "enable", by=by)
            print(f"Kontoen '{args.name}' er {'åbnet' if args.action == 'enable' else 'lukket'}.")
    except StaffError as error:
        print(error, file=sys.stderr)
        return 1
    finally:
        store.close()
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help="start the action server, the Rasa server and the web app").set_defaults(func=_run)
    commands.add_parser("web", help="start the web app only (chat widget, demo page)").set_defaults(func=_web)
    retention = commands.add_parser(
        "retention", help="delete conversations, SMS replies given up on and callback requests older than "
                          "RETENTION_DAYS (30)")
    retention.add_argument("--days", type=float, help="delete what is older than this many days")
    retention.set_defaults(func=_retention)
    check = commands.add_parser("check-knowledge", help="validate the answer data")
    check.add_argument("directory", nargs="?")
    check.set_defaults(func=_check_knowledge)
    users = commands.add_parser("users", help="staff accounts of the admin: list, add, password, disable, enable")
    users.set_defaults(func=_users)
    actions = users.add_subparsers(dest="action", required=True)
    actions.add_parser("list", help="list staff accounts")
    for action, text in (("add", "create a staff account (asks for the password)"),
                         ("password", "set a new password (asks for it)"),
                         ("disable", "close an account and end its sessions"),
                         ("enable", "open a closed account again")):
        sub = actions.add_parser(action, help=text)
        sub.add_argument("name")
        if action in ("add", "password"):
            sub.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
        if action == "add":
            sub.add_argument("--admin", action="store_true", help="may manage staff accounts and read the audit log")
    from bot.backup import add_commands as add_backup_commands

    add_backup_commands(commands)
    from bot.prepare import add_command as add_prepare_command

    add_prepare_command(commands)
    from bot.review_digest import add_command as add_reviews_command

    add_reviews_command(commands)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
