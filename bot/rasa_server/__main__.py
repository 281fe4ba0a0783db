"""Start the Rasa server with this project's changes: ``python -m bot.rasa_server run ...``.

Takes Rasa's own command line (``run --model ... --endpoints ...``); see
``bot.rasa_server`` for what ``install()`` changes.
"""
import sys

from bot import rasa_server


def main() -> None:
    try:
        rasa_server.install()
    except rasa_server.RasaVersionMismatch as mismatch:
        sys.exit(str(mismatch))
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *sys.argv[1:]]
    rasa_main()


if __name__ == "__main__":
    main()
