# The assistant's commands. `make run` and `make test` set up everything they need.
SHELL := /bin/bash
PYTHON ?= $(shell pyenv which python3.10 2>/dev/null || command -v python3.10 2>/dev/null || echo python3.10)
VENV := .venv
BIN := $(VENV)/bin
export PYTHONPATH := $(CURDIR)
export TF_CPP_MIN_LOG_LEVEL := 3
export PYTHONWARNINGS := ignore
export RASA_TELEMETRY_ENABLED := false
RASA := $(BIN)/rasa
MODEL := models/assistant.tar.gz
SPACY := build/spacy_en/meta.json
TRAIN_INPUTS := config.yml domain.yml settings/clinic.yml $(shell find data knowledge bot \( -path bot/channels -o -path bot/review -o -path bot/cluster -o -path bot/bench -o -path bot/cli -o -path bot/stack.py -o -path bot/rasa_speedups.py -o -path bot/rasa_patches.py -o -path bot/remote_action_fallback.py -o -path bot/turn.py -o -path bot/request_limit.py -o -path bot/alerts -o -path bot/phone.py -o -path bot/clinic_hours.py \) -prune -o \( -name '*.yml' -o -name '*.py' -o -name '*.jsonl' \) -print | sort)
WEB_SOURCES := $(wildcard web/src/*)
WEB_BUILT := web/dist/.built
CHROMIUM ?= $(shell command -v chromium 2>/dev/null || echo /usr/bin/chromium)
VIGNETTES ?= ../shared/eval/vignettes.yml
PROJECT_VIGNETTES := eval/vignettes/selfcare.yml eval/vignettes/red_flags.yml

.PHONY: corpus-dev-sets help lint test-fast run cluster test-cluster test-chaos shell train build validate test test-unit test-triage test-stories test-web test-channels test-review review export-reviews web eval eval-all eval-triage eval-second-opinion eval-nlu clinical-report crossval calibration bench profile clean

help:  ## this list: every command with what it does
	@grep -E '^[a-z][a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:[^#]*## /\t/' | expand -t 22

run: $(MODEL) $(WEB_BUILT)  ## set up, train if needed, start the assistant on http://localhost:$${PORT:-5005}
	$(BIN)/python -m bot.cli.run

NGINX ?= $(shell command -v nginx 2>/dev/null || echo /usr/sbin/nginx)

cluster: $(MODEL) $(WEB_BUILT) $(NGINX)  ## production profile: nginx, 2 Rasa + 2 action replicas, PostgreSQL, Redis, RabbitMQ (docs/production.md)
	$(BIN)/python -m bot.cli.cluster

test-cluster: $(MODEL) $(WEB_BUILT) $(NGINX) $(CHROMIUM)  ## the production profile on the real PostgreSQL, Redis, RabbitMQ and nginx, and the widget through it in Chromium (about 2 min)
	CHROMIUM=$(CHROMIUM) $(BIN)/python -m pytest -q tests/cluster

# Faults under load on the production profile, with a PostgreSQL, a Redis and a RabbitMQ of its own
# (never the machine's): bot/cli/chaos.py, report in var/chaos/report.json, logs in var/chaos/run/log/.
test-chaos: $(MODEL) $(WEB_BUILT) $(NGINX)  ## action servers hung and killed, PostgreSQL restarted, Redis and RabbitMQ stopped, a Rasa replica killed, under 15 clients: nothing lost, every red flag referred within 2 s (about 3 min)
	RUN_CHAOS=1 $(BIN)/python -m pytest -q -s tests/cluster/test_chaos.py

$(NGINX):
	apt-get update -qq && apt-get install -y -qq --no-install-recommends nginx

shell: $(MODEL)  ## chat in the terminal
	@$(BIN)/python -m bot.cli.action_server --actions actions --port 5055 > /dev/null 2>&1 & pid=$$!; \
	  trap "kill $$pid" EXIT; \
	  ACTION_ENDPOINT_URL=http://127.0.0.1:5055/webhook TRACKER_DB=var/shell.db \
	  $(BIN)/python -m bot.cli.rasa_server shell --model $(MODEL) --endpoints endpoints.yml

$(VENV)/.installed: requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip==24.0
	$(BIN)/python -m pip install --quiet --no-deps -r requirements.lock
	$(BIN)/python -m pip check
	touch $@

$(SPACY): $(VENV)/.installed bot/nlp.py
	$(BIN)/python -m bot.nlp

build: $(SPACY)  ## the spaCy pipeline (blank English + lookup lemmas)

$(MODEL): $(VENV)/.installed $(SPACY) $(TRAIN_INPUTS)
	mkdir -p var/log
	$(RASA) train --force --augmentation 0 --fixed-model-name assistant --out models

train: $(MODEL)  ## train when data, config, domain or knowledge changed

lint: $(VENV)/.installed  ## ruff (pinned in requirements.lock; rules in pyproject.toml): bugs, dead imports, import order
	$(BIN)/ruff check .

validate: $(VENV)/.installed  ## Rasa's data validation, warnings are errors
	$(RASA) data validate --fail-on-warnings

FAST := -m "not model and not services and not browser and not slow"
test-fast: $(VENV)/.installed $(SPACY)  ## the inner loop: the tests that need no model, services or browser and take milliseconds (markers in tests/conftest.py; under a minute)
	$(BIN)/python -m pytest -q $(FAST) -p no:cacheprovider tests

test-triage: $(VENV)/.installed $(SPACY)  ## fast: the red-flag rules on the test set, no server
	$(BIN)/python -m pytest -q tests/triage

test-unit: $(MODEL) $(WEB_BUILT)  ## unit and end-to-end tests (real Rasa server over HTTP)
	$(BIN)/python -m pytest -q tests --ignore=tests/web --ignore=tests/review --ignore=tests/cluster

# The web widget: socket.io-client (and playwright-core for the browser tests) from the npm registry,
# pinned by web/package-lock.json; served by the socket.io channel from web/dist/.
$(WEB_BUILT): web/package.json web/package-lock.json $(WEB_SOURCES)
	cd web && npm ci --no-audit --no-fund --loglevel=error
	rm -rf web/dist && mkdir -p web/dist
	cp web/node_modules/socket.io-client/dist/socket.io.min.js $(WEB_SOURCES) web/dist/
	touch $@

web: $(WEB_BUILT)  ## build the chat widget into web/dist/ (npm ci, copy)

test-web: $(MODEL) $(WEB_BUILT) $(CHROMIUM)  ## the widget in a real headless Chromium (Debian's chromium), screenshots to docs/screenshots/
	CHROMIUM=$(CHROMIUM) $(BIN)/python -m pytest -q tests/web

# Messaging platforms: each platform's webhook payloads posted to a running server, offline
# (Telegram's API is a local stub; Slack, Twilio and Messenger clients are patched).
CHANNEL_TESTS := $(filter-out tests/channels/test_secure_socketio.py,$(wildcard tests/channels/test_*.py))
test-channels: $(MODEL)  ## Telegram, Slack, Twilio SMS/WhatsApp, Messenger channels (about 1 min)
	$(BIN)/python -m pytest -q $(CHANNEL_TESTS)

# The clinic review console (bot/review/): units, the console over HTTP, retention on SQLite and on the
# PostgreSQL server of 127.0.0.1:5432 (REVIEW_TEST_PG), a real Rasa server on PostgreSQL across a
# restart, and a real headless Chromium (Debian's, driven by playwright-core from web/node_modules).
review: $(VENV)/.installed  ## the clinic review console on http://127.0.0.1:$${REVIEW_PORT:-5006}, on var/tracker.db or TRACKER_STORE=postgres
	$(BIN)/python -m bot.review.server

export-reviews: $(VENV)/.installed  ## staff corrections from the console as NLU examples and vignettes in var/reviews/ (REVIEW_EXPORT_DIR), not training data until accepted (docs/console.md)
	$(BIN)/python -m bot.review.teach $(if $(REVIEW_EXPORT_DIR),--out $(REVIEW_EXPORT_DIR))

test-review: $(MODEL) $(WEB_BUILT) $(CHROMIUM)  ## the review console's tests, screenshots to docs/screenshots/ (1 to 2 min)
	CHROMIUM=$(CHROMIUM) $(BIN)/python -m pytest -q tests/review

$(CHROMIUM):
	apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium

test-stories: $(MODEL)  ## Rasa conversation tests
	$(RASA) test core --stories tests/test_stories.yml --model $(MODEL) --fail-on-prediction-errors --out var/results/stories

eval: $(MODEL)  ## run a vignette file: make eval VIGNETTES=path
	$(BIN)/python -m bot.cli.evaluate $(VIGNETTES)

# vignettes-next.yml: p401-p414 (red flags in anyone's words), p421 (referral-safe conversation) and
# p431-p432 (a conversation that listens, issue 16) are in the gate; the rest join with the issues
# that cover them (its header)
eval-all: $(MODEL)  ## public sample, the next sample's red-flag items and project vignettes, with the targets as thresholds
	$(BIN)/python -m bot.cli.evaluate ../shared/eval/vignettes.yml ../shared/eval/vignettes-next.yml \
	  $(PROJECT_VIGNETTES) --only vignettes-next.yml:p401-p414,p421,p431-p432 \
	  --min-sensitivity 1.0 --min-emergency-sensitivity 1.0 --max-over-escalation 0.02 \
	  --min-advice-accuracy 0.97 --max-unanswered 0

BLIND_SETS := $(wildcard eval/blind/*/*.yml)
eval-triage: $(VENV)/.installed $(SPACY)  ## red flags without a server, in seconds: every blind and project set (VIGNETTES=... for others)
	$(BIN)/python -m bot.cli.triage_eval $(if $(filter-out ../shared/eval/vignettes.yml,$(VIGNETTES)),$(VIGNETTES),$(BLIND_SETS) ../shared/eval/vignettes.yml $(PROJECT_VIGNETTES))

# For the clinical safety officer: knowledge sign-off, levels, every code's texts as the client reads
# them and the phrases that find it, cautions, and per-code sensitivity on the newest blind set.
clinical-report: $(VENV)/.installed $(SPACY)  ## every rule and client text for clinical review, with blind-set sensitivity, to var/clinical-report.md (~40 s; CLINICAL_REPORT_ARGS=--no-measure skips the measurement)
	$(BIN)/python -m bot.cli.clinical_report $(CLINICAL_REPORT_ARGS)

# Red-flag sets tuned on (development sets, eval/blind/README.md): their messages also teach the
# second opinion. Never a set still blind (2026-12-07-y, 2026-12-08-z) nor the self-care sets.
DEV_SETS := $(sort $(wildcard eval/blind/2026-12-0[4-7]-[a-x]))

corpus-dev-sets: $(VENV)/.installed  ## the development sets' messages as second-opinion corpus (data/red_flags/dev_sets.jsonl)
	$(BIN)/python -m bot.cli.corpus_from_sets $(DEV_SETS)

eval-second-opinion: $(VENV)/.installed $(SPACY)  ## how the statistical second opinion's thresholds were chosen (5-fold CV on data/red_flags/, ~2 min)
	$(BIN)/python -m bot.cli.second_opinion_report

eval-nlu: $(MODEL)  ## intent accuracy and macro F1 on the held-out set, then 5-fold cross-validation
	$(BIN)/python -m bot.cli.nlu_report --model $(MODEL) --heldout tests/nlu/heldout.yml --folds 5

crossval: $(VENV)/.installed $(SPACY)  ## 5-fold cross-validation of the NLU
	$(RASA) test nlu --nlu data/nlu --config config.yml --cross-validation --folds 5 --out var/results/crossval

calibration: $(MODEL)  ## reliability of the intent confidence on held-out and out-of-fold data, and what each clarify threshold costs (docs/confidence.md; ~15 min)
	$(BIN)/python -m bot.cli.calibration --model $(MODEL) --heldout tests/nlu/heldout.yml --folds 5

bench: $(MODEL) $(WEB_BUILT) $(NGINX)  ## stock bot vs ours (1 and 2 replicas) at 1, 10, 50 clients: latency, msgs/s, memory, CPU (about 15 min; BENCH_DURATION=10 BENCH_ROUNDS=2 shortens)
	$(BIN)/python -m bot.cli.bench $(BENCH_ARGS)

profile: $(MODEL) $(WEB_BUILT) $(NGINX)  ## py-spy on 1 Rasa replica under 10 clients: CPU ms/msg per process, top functions, var/bench/profile-*.txt (1 min; PROFILE_ARGS="--process actions-1")
	$(BIN)/python -m bot.bench.profile $(PROFILE_ARGS)

test: lint validate test-unit test-web test-review test-cluster test-chaos test-stories eval-all  ## everything CI runs

clean:
	rm -rf models build var .rasa results
