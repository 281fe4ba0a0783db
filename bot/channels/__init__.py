"""Custom Rasa input channels: SMS through GatewayAPI or Twilio.

``sms_format`` turns a turn's replies into one SMS (numbered options, GSM-7,
at most three parts); ``sms_turn`` runs a turn for both channels; ``sms_store``
keeps what must survive a restart (seen message ids, the last options offered,
replies waiting for a retry); ``sms_delivery`` sends with retries.
"""
