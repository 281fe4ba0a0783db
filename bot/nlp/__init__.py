"""Custom Rasa NLU components for Danish."""
