"""Check the action server's responses with one validator built once.

Rasa 3.6 calls ``jsonschema.validate`` on every custom action's response,
which checks Rasa's own (large, unchanging) schema against the meta-schema
and builds a new validator each time: ~14 ms per action, a third of the Rasa
server's time under load (profile in bench/RESULTS.md, "Load"). The same
check with a validator built once takes ~0.2 ms and raises the same error.
Installed with the action guard by ``bot.rasa_server.install()``.
"""
from functools import lru_cache
from typing import Any, Dict

import jsonschema
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL

_original_validate = RemoteAction._validate_action_result


@lru_cache(maxsize=1)
def _validator() -> jsonschema.protocols.Validator:
    schema = RemoteAction.action_response_format_spec()
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def validate_action_result(self: RemoteAction, result: Dict[str, Any]) -> bool:
    """What Rasa's own check does (same error, same message), without rebuilding the validator."""
    error = jsonschema.exceptions.best_match(_validator().iter_errors(result))
    if error is not None:
        error.message += (
            ". Failed to validate Action server response from API, make sure your response from the Action "
            f"endpoint is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions"
        )
        raise error
    return True


def install() -> None:
    RemoteAction._validate_action_result = validate_action_result
