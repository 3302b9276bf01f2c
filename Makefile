# Two commands do everything on a fresh machine:
#   make serve   build and serve the site on http://127.0.0.1:8000
#   make test    run every check CI runs
# uv is installed with pip when missing and run as `python3 -m uv`, so a fresh
# PATH (or a pyenv shim that has not been rehashed) does not matter.

PYTHON ?= python3
UV := $(PYTHON) -m uv
RUN := $(UV) run --frozen
# MkDocs 1.6 prints a banner about 2.0 on every run; this site pins mkdocs<2.
export NO_MKDOCS_2_WARNING := 1
SITE_DIR ?= site
LINT_PATHS := snippets demo_apps scripts tests docs/plugins
# The outcomes of the tests marked @pytest.mark.claim, which the claims page turns into verdicts.
EVIDENCE := .cache/claims/evidence.json
EVIDENCE_INPUTS := $(shell find snippets demo_apps scripts tests docs/data -type f \
	\( -name '*.py' -o -name '*.yaml' -o -name '*.json' -o -name '*.html' \) 2>/dev/null)

.PHONY: setup bundle serve build test lint evidence bench bench-smoke clean

setup:
	@$(PYTHON) -m uv --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet uv
	$(UV) sync --frozen

# The live demos' bundle (Pyodide, wheels, lockfile, editor) in .cache/live/, rebuilt only when
# a pin changes; needs node/npm. The site's hook copies it into the site (scripts/live).
bundle: setup
	$(RUN) python -m scripts.live.build_bundle

# The claim tests first (about 3 minutes), so the site can judge the claims; `make serve` and
# `make build` re-run them only when a snippet, app, script, test or data file has changed.
# A failing claim test is recorded, not fatal here: the strict build then stops on that claim,
# naming it. Any other pytest exit (collection error, interrupt) stops at once.
$(EVIDENCE): $(EVIDENCE_INPUTS) | setup
	$(RUN) coverage run -p -m pytest -m claim --claims-report=$(EVIDENCE); \
	status=$$?; [ $$status -le 1 ] || { rm -f $(EVIDENCE); exit $$status; }

evidence:
	rm -f $(EVIDENCE)
	$(MAKE) $(EVIDENCE)

serve: bundle $(EVIDENCE)
	$(RUN) mkdocs serve --strict -a 127.0.0.1:8000

build: bundle $(EVIDENCE)
	$(RUN) mkdocs build --strict -d $(SITE_DIR)

lint: setup
	$(RUN) ruff check $(LINT_PATHS)
	$(RUN) ruff format --check $(LINT_PATHS)

# Claim tests, then the site (which reads their outcomes), then every other test; coverage
# of snippets/ adds up both pytest runs.
test: lint bundle
	$(RUN) coverage erase
	$(MAKE) evidence
	$(RUN) mkdocs build --strict -d $(SITE_DIR)
	GUIDE_SITE_DIR=$(abspath $(SITE_DIR)) $(RUN) coverage run -p -m pytest -m "not claim"
	$(RUN) coverage combine
	$(RUN) coverage report --fail-under=100

# The full benchmark suite: a new docs/data/benchmarks/*.json (107 cells, 5 interleaved rounds of
# 2 s: 23 minutes on 2 cores with --reruns 0; re-running noisy cells can add as much again).
# Needs wrk and PostgreSQL's server binaries.
bench: setup
	$(RUN) python -m scripts.bench run

# Two configurations, two endpoints, short runs, into a temporary directory; checks the schema.
bench-smoke: setup
	tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	$(RUN) python -m scripts.bench run --smoke --out "$$tmp" && \
	$(RUN) python -m scripts.bench check "$$tmp"/*.json

clean:
	rm -rf $(SITE_DIR) .coverage .coverage.* .pytest_cache $(EVIDENCE)
