# Køge resident assistant. `make run` starts it, `make test` tests it; both set
# up whatever is missing first. `make` alone lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV       := .venv
PY         := $(VENV)/bin/python
RASA       := $(VENV)/bin/rasa
SPACY_DIR  := .cache/spacy-da
MODEL      := models/koege.tar.gz
# The pipeline's own components (bot/nlp) are part of the model too.
TRAINING   := config.yml domain.yml data/rules.yml data/stories.yml $(wildcard data/nlu/*.yml) $(wildcard bot/nlp/*.py)

export TF_CPP_MIN_LOG_LEVEL := 2
export RASA_TELEMETRY_ENABLED := false
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

# Python 3.10 (Rasa 3.6 needs <3.11): PATH first, then every pyenv 3.10.x.
define find_python310
for candidate in python3.10 $$(ls -d "$$(pyenv root 2>/dev/null || echo $$HOME/.pyenv)"/versions/3.10.*/bin/python 2>/dev/null | sort -V -r); do \
  if "$$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null; then echo "$$candidate"; break; fi; \
done
endef

.PHONY: help setup train run test test-unit test-stories test-browser validate eval clean

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

setup: $(VENV)/.installed $(SPACY_DIR)/meta.json node_modules/.package-lock.json  ## Create the virtualenv, the Danish spaCy pipeline and the widget's npm packages

$(VENV)/.installed: pyproject.toml requirements.lock
	@python310="$$($(find_python310))"; \
	if [ -z "$$python310" ]; then \
	  echo "Python 3.10 was not found (Rasa 3.6 needs Python 3.10)."; \
	  echo "Install it, e.g. 'pyenv install 3.10' or 'apt-get install python3.10 python3.10-venv', then run make again."; \
	  exit 1; \
	fi; \
	echo "Using $$python310"; \
	[ -x $(PY) ] || "$$python310" -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip wheel setuptools
	$(PY) -m pip install --quiet -c requirements.lock -e '.[dev]'
	@touch $@

# The chat widget's socket.io client (served by the web app) and axe-core (browser tests).
node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm was not found: the chat widget needs it once, to install socket.io-client. Install Node.js, e.g. 'apt-get install nodejs npm', then run make again."; exit 1; }
	npm ci --no-audit --no-fund
	@touch $@

# The venv is order-only: a dependency update must not force a retrain.
$(SPACY_DIR)/meta.json: bot/nlp/spacy_model.py | $(VENV)/.installed
	$(PY) -m bot.nlp.spacy_model $(SPACY_DIR)

train: $(MODEL)  ## Train the model (only when training data changed)

$(MODEL): $(TRAINING) $(SPACY_DIR)/meta.json
	$(RASA) train --data data/nlu data/rules.yml data/stories.yml --out models --fixed-model-name koege
	@touch $@

run: setup $(MODEL)  ## Start action server, Rasa server and web app (chat widget); Ctrl-C stops them
	$(PY) -m bot run

validate: setup  ## Check training data and answer data
	$(RASA) data validate --data data/nlu data/rules.yml data/stories.yml --fail-on-warnings
	$(PY) -m bot check-knowledge

test-unit: setup  ## Unit tests only (fast, no model needed)
	$(PY) -m pytest -m "not integration"

test-stories: setup $(MODEL)  ## Conversation tests; fail on any wrong prediction
	$(RASA) test core --stories tests/test_stories.yml --model $(MODEL) --out results/stories --fail-on-prediction-errors

test-browser: setup $(MODEL)  ## Browser tests of the chat widget (headless Chromium)
	$(PY) -m pytest -m browser

test: validate $(MODEL) test-stories  ## Set up, train if needed, run every test
	$(PY) -m pytest

# Slow (about two hours here): every pipeline is trained several times.
eval: setup $(MODEL)  ## Compare Rasa's default pipeline, ours and each candidate on the held-out questions; bench/README.md
	$(PY) -m pip install --quiet -c requirements.lock -e '.[dev,bench]'
	$(PY) -m bench.nlu_eval
	$(PY) -m bench.e2e_eval
	$(PY) -m bench.seeds --e2e rasa_default ours_diet
	$(PY) -m bench.concurrent_turns ours_without_e5 ours ours_diet
	$(PY) -m bench.cross_validation rasa_default ours_diet ours
	$(PY) -m bench.intent_cv

clean:  ## Remove the virtualenv, caches and trained models
	rm -rf $(VENV) .cache models results .pytest_cache node_modules
