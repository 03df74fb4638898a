VENV ?= .venv
PY := $(VENV)/bin/python
PIP_FLAGS := --disable-pip-version-check --quiet
STAMP := $(VENV)/.installed

export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: install demo test lint format bench load train train-encoder clean

install: $(STAMP)

# Re-installs only when the project's dependency files change.
$(STAMP): pyproject.toml requirements/constraints.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install $(PIP_FLAGS) -c requirements/constraints.txt torch==2.13.0
	$(PY) -m pip install $(PIP_FLAGS) -c requirements/constraints.txt -e '.[test]'
	$(VENV)/bin/triagebot model export
	touch $(STAMP)

demo: install
	$(VENV)/bin/triagebot demo

# Two workers (pytest-xdist) on a two-core machine; `--dist loadgroup` keeps the tests
# that share the starter index on one worker. TEST_WORKERS=0 runs in one process.
TEST_WORKERS ?= 2
test: install
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadgroup

lint: install
	$(VENV)/bin/ruff check bot tests migrations
	$(VENV)/bin/ruff format --check bot tests migrations

format: install
	$(VENV)/bin/ruff check --fix bot tests migrations
	$(VENV)/bin/ruff format bot tests migrations

bench: install
	$(PY) -m tests.benchmarks.redflags_bench
	$(PY) -m tests.benchmarks.retrieval_bench
	$(PY) -m tests.benchmarks.import_bench
	$(PY) -m tests.benchmarks.startup_bench

# Fine-tunes the red-flag model from committed data with a fixed seed and writes
# bot/redflags/model/ (about an hour on two cores with nothing else running); `git diff` then
# shows the new card.
train: install
	$(PY) -m bot.redflags.training

# Fine-tunes the fitness encoder's top layers on the starter corpus with a fixed seed, writes
# bot/retrieval/domain_model/ and measures both encoders on every retrieval set for its card
# (about 15 minutes on two cores); `git diff` then shows whether the weights were reproduced.
train-encoder: install
	$(VENV)/bin/triagebot model train-encoder

# 200 /ask interactions through the Discord harness; not part of `make test`.
load: install
	$(PY) -m tests.benchmarks.discord_load

clean:
	rm -rf $(VENV) data index/builds
