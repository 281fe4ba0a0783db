"""Insights from the conversations: the inbox of questions the assistant could
not answer, and the dashboard's figures for staff.

A documented query layer over Rasa's SQL tracker store (the ``events``
table) and two tables of the answer store:

* ``queries``: every SQL query (SQLAlchemy Core), rows as plain records;
* ``grouping``: redacting questions again on their way out, and grouping similar ones;
* ``labels``: Danish names of topics (intents) and channels;
* ``report``: ``Insights``, with the definitions of the figures.

Nothing here writes to the conversation store.
"""
from bot.insights.queries import ConversationsUnavailable
from bot.insights.report import (
    DEFAULT_DAYS, LOW_CONFIDENCE, MAX_DAYS, Dashboard, InboxItem, Insights, Period, is_unanswered,
)

__all__ = ["ConversationsUnavailable", "DEFAULT_DAYS", "Dashboard", "InboxItem", "Insights", "LOW_CONFIDENCE",
           "MAX_DAYS", "Period", "is_unanswered"]
