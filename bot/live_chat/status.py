"""Whether residents can write with a staff member now: the opening hours
(``LIVE_CHAT_HOURS``) and the days staff closed, read the same way by the
assistant that offers the live chat and the admin that shows it."""
import datetime
from dataclasses import dataclass
from typing import FrozenSet, Optional

from bot.answer_store.live_chats import LiveChatStore
from bot.answer_store.times import danish_today, now


# The channels staff messages can reach (bot/rasa_server/live_relay.py): the
# widget and the SMS channels. A REST client has no way to receive them.
REACHABLE_CHANNELS = frozenset({"socketio", "gatewayapi", "twilio"})


@dataclass(frozen=True)
class Availability:
    open: bool
    next_opening: Optional[datetime.datetime]  # now when open; None: never (off, or closed for two weeks)
    closed_days: FrozenSet[datetime.date]
    hours: object  # bot.live_chat.hours.OpeningHours

    @property
    def offered(self) -> bool:
        """The live chat exists at all (LIVE_CHAT_HOURS is not off)."""
        return not self.hours.off


def availability(store: LiveChatStore, hours, moment: Optional[datetime.datetime] = None) -> Availability:
    moment = moment or now()
    if hours.off:  # no database read for an installation without a live chat
        return Availability(False, None, frozenset(), hours)
    closed = store.closed_days(danish_today())
    return Availability(hours.is_open(moment, closed), hours.next_opening(moment, closed), closed, hours)
