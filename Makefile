# storyline: the two commands are `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
DEMO   := demo-output

.PHONY: demo test lint bench bench-fuzz bench-scale venv clean lock docs train-ner train-ner-encoder calibrate-encoder train-quotes train-junk train-similarity

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

demo: venv
	@rm -rf $(DEMO) && mkdir -p $(DEMO)
	$(BIN)/storyline ingest examples/articles --db $(DEMO)/storyline.db --no-progress || test $$? -eq 1
	$(BIN)/storyline status --db $(DEMO)/storyline.db
	$(BIN)/storyline list --db $(DEMO)/storyline.db
	$(BIN)/storyline entities --db $(DEMO)/storyline.db --type PER --limit 8
	$(BIN)/storyline quotes --db $(DEMO)/storyline.db --speaker Brandt
	$(BIN)/storyline stories --db $(DEMO)/storyline.db
	$(BIN)/storyline story "$$($(BIN)/storyline stories --db $(DEMO)/storyline.db --json | $(BIN)/python -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')" --db $(DEMO)/storyline.db
	$(BIN)/storyline export --db $(DEMO)/storyline.db -o $(DEMO)/export.json
	$(BIN)/storyline claims "$$($(BIN)/storyline stories --db $(DEMO)/storyline.db --json | $(BIN)/python -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')" --shared --limit 3 --db $(DEMO)/storyline.db
	$(BIN)/storyline report "$$($(BIN)/storyline stories --db $(DEMO)/storyline.db --json | $(BIN)/python -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')" --format html -o $(DEMO)/briefing.html --db $(DEMO)/storyline.db
	@echo
	@echo "Result: store $(DEMO)/storyline.db, export $(DEMO)/export.json"
	@echo "        briefing $(DEMO)/briefing.html (open it in a browser; prints on A4)"
	@echo "Try:    $(BIN)/storyline show <id> --db $(DEMO)/storyline.db"
	@echo "        $(BIN)/storyline serve --db $(DEMO)/storyline.db   (then open http://127.0.0.1:8000/)"

# The suite runs twice: on SQLite, then on PostgreSQL (STORYLINE_TEST_PG, default
# postgresql:///storyline_test; .ci/postgres sets one up). Without a server the second
# half is skipped and says so; with STORYLINE_REQUIRE_PG set, that is an error.
PG_URL ?= $(or $(STORYLINE_TEST_PG),postgresql:///storyline_test)
test: venv
	$(BIN)/python -m pytest -q
	@if $(BIN)/python -c "import psycopg; psycopg.connect('$(PG_URL)', connect_timeout=3).close()" 2>/dev/null; then \
		echo "== the same suite on PostgreSQL ($(PG_URL)) =="; \
		STORYLINE_TEST_ENGINE=postgresql STORYLINE_TEST_PG='$(PG_URL)' $(BIN)/python -m pytest -q; \
	elif [ -n "$$STORYLINE_REQUIRE_PG" ]; then \
		echo "ERROR: PostgreSQL at $(PG_URL) is not reachable and STORYLINE_REQUIRE_PG is set"; exit 1; \
	else \
		echo; echo "************************************************************************"; \
		echo "* PostgreSQL half SKIPPED: no server at $(PG_URL)."; \
		echo "* Run .ci/postgres (as root) or set STORYLINE_TEST_PG to run it."; \
		echo "************************************************************************"; \
	fi

lint: venv
	$(BIN)/ruff check src tests bench train
	$(BIN)/mypy

bench: venv
	$(BIN)/python -m bench.run

# The long fuzz run of issue 13: 2,000 hostile inputs of up to 1 MB (about 30 minutes).
bench-fuzz: venv
	$(BIN)/python -m bench.fuzz --n 2000 --max-kb 1024

# Grouping at scale on generated corpora (about 20 minutes on two cores), then adding one
# article to stores grown to 10k, 100k and 1M articles (about 40 minutes, 15 GB of disk).
bench-scale: venv
	$(BIN)/python -m bench.scale --n 10000 --backend static
	$(BIN)/python -m bench.scale --n 1000 --backend e5
	$(BIN)/python -m bench.scale_store --sizes 10000,100000,1000000

docs: venv
	$(BIN)/storyline settings --markdown > docs/settings.md

# Refresh the pinned versions (needs the package index).
lock:
	rm -rf /tmp/storyline-lock && $(PYTHON) -m venv /tmp/storyline-lock
	/tmp/storyline-lock/bin/pip install --quiet -e '.[dev]'
	/tmp/storyline-lock/bin/pip freeze --exclude-editable | grep -v '^storyline' > constraints.txt

clean:
	rm -rf $(VENV) $(DEMO) .pytest_cache .mypy_cache .ruff_cache

# Rebuild the shipped entity tagger from ../shared/bench (about 3 min on one core).
train-ner: venv
	$(BIN)/python -m train.ner.train

# Rebuild the encoder entity tagger (accurate profile) from ../shared/bench: encodes the
# corpora once into build/ner_encoder/ (about 3 min on one core), then trains two heads
# (about 12-25 min each on one core; see train/ner_encoder/train.py to train them side by side).
train-ner-encoder: venv
	$(BIN)/python -m train.ner_encoder.train

# Rebuild the learned quote tagger's head from ../shared/bench/spkatt2023 (tune part only):
# encodes the documents once into build/quotes_encoder/ (about 3 min), then trains (about 5 min).
train-quotes: venv
	$(BIN)/python -m train.quotes_encoder.train

# Rebuild the learned article similarity from ../shared/bench/semeval2022-t8 (tuning part):
# profiles the articles once into build/similarity/ (about 3 min), then fits (seconds).
train-similarity: venv
	$(BIN)/python -m train.similarity.train

# Recompute the encoder's int8 smoothing factors from ../shared/bench (about 3 min).
calibrate-encoder: venv
	$(BIN)/python -m train.encoder.calibrate

# Rebuild the learned junk line classifier (src/storyline/clean/data/junk_model.json) from the
# tuning part of ../shared/bench/trafilatura-de and examples/truth.json (about 15 s).
train-junk: venv
	$(BIN)/python -m train.junk.train
