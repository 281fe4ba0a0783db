"""``python -m bot run``: start everything, say where to open it, keep it running
(a server that dies is started again: bot/supervisor.py), stop on Ctrl-C."""
import os
import signal
import sys
import time

import sqlalchemy as sa

from bot.config import Settings
from bot.knowledge import KnowledgeError
from bot.privacy.retention import DailyRetention
from bot.review_digest import DailyReviewDigest
from bot.services import Service, assistant_services, prepare_answer_store, stop_all, wait_until_healthy, \
    web_service
from bot.supervisor import GaveUp, Supervisor


def main() -> int:
    rasa_port = int(os.environ.get("RASA_PORT", "5005"))
    action_port = int(os.environ.get("ACTION_PORT", "5055"))
    web_port = int(os.environ.get("WEB_PORT", "8000"))
    services = assistant_services(rasa_port=rasa_port, action_port=action_port)
    services.append(web_service(web_port))

    def stop(signum, frame):
        # A second Ctrl-C or SIGTERM (make passes one on) must not cut the shutdown
        # short and leave servers running; each gets SIGKILL after its grace time anyway.
        for name in (signal.SIGINT, signal.SIGTERM):
            signal.signal(name, signal.SIG_IGN)
        raise KeyboardInterrupt

    def start(service):
        print(f"Starting the {service.name} ...", flush=True)
        service.start()

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    # Deletes old conversations, SMS replies given up on and callback requests now, then once a day.
    retention = DailyRetention(sms_data_dir=Settings.once().sms_data_dir)
    # The answers due for a check, logged (and mailed with SMTP_URL) once the store is ready, then daily.
    reviews = DailyReviewDigest()
    try:
        retention.run_if_due()
        # The Rasa server takes longest to start (TensorFlow, the model) and needs
        # nothing prepared here: it starts first, the answer store meanwhile.
        rasa_server, *others = sorted(services, key=lambda service: service.name != "Rasa server")
        start(rasa_server)
        has_staff = prepare_answer_store()
        for service in others:
            start(service)
        wait_until_healthy(services)
        # Every part, as the web app's readiness check sees it (a model that parses, the stores).
        wait_until_healthy([Service("assistant", [], f"http://127.0.0.1:{web_port}/health")], timeout=60)
        print(
            "\nThe assistant is ready:\n"
            f"  Rasa server   http://localhost:{rasa_port}\n"
            f"  REST channel  http://localhost:{rasa_port}/webhooks/rest/webhook\n"
            f"  socket.io     http://localhost:{rasa_port}/socket.io\n"
            f"  Chat widget   http://localhost:{web_port}  (demo page with the widget)\n"
            f"  Staff admin   http://localhost:{web_port}/admin\n"
            + ("" if has_staff else "  (no staff account yet: .venv/bin/python -m bot users add NAME --admin)\n")
            + "Press Ctrl-C to stop.\n",
            flush=True,
        )
        supervisor = Supervisor(services)
        while True:
            supervisor.check()
            retention.run_if_due()
            reviews.run_if_due()
            time.sleep(0.5)
    except GaveUp as error:
        print(error, file=sys.stderr, flush=True)
        return 1
    except KeyboardInterrupt:
        print("\nStopping ...", flush=True)
        return 0
    except (RuntimeError, TimeoutError, ValueError, KnowledgeError, sa.exc.SQLAlchemyError) as error:
        print(f"Could not start the assistant: {error}", file=sys.stderr, flush=True)
        return 1
    finally:
        stop_all(services)
