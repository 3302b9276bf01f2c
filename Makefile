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
LINT_PATHS := snippets demo_apps verified_guide scripts tests docs/plugins
# The outcomes of the tests marked @pytest.mark.claim, which the claims page turns into verdicts.
EVIDENCE := .cache/claims/evidence.json
EVIDENCE_INPUTS := $(shell find snippets demo_apps verified_guide scripts tests docs/data -type f \
	\( -name '*.py' -o -name '*.yaml' -o -name '*.json' -o -name '*.html' \) 2>/dev/null)

.PHONY: setup bundle serve build test test-under-load test-parallel test-hostile test-matrix test-matrix-envs test-typecheck lint evidence matrix mutation bench bench-smoke measure-live parity screenshots clean

setup:
	@$(PYTHON) -m uv --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet uv
	$(UV) sync --frozen

# The live demos' bundle (Pyodide, wheels, lockfile, editor) in the user's cache directory
# (~/.cache/verified-guide/live/ unless GUIDE_CACHE_DIR or XDG_CACHE_HOME says otherwise), rebuilt
# only when one of its inputs changes; needs node/npm. The site's hook copies it into the site
# (verified_guide/live).
bundle: setup
	$(RUN) python -m scripts.live.build_bundle

# The claim tests first (about 3 minutes), so the site can judge the claims; `make build`
# re-runs them only when a snippet, app, script, test or data file has changed, `make serve`
# only when there is no report at all (it reuses an older one and the claims page says it is stale).
# A failing claim test is recorded, not fatal here: the strict build then stops on that claim,
# naming it. Any other pytest exit (collection error, interrupt) stops at once.
$(EVIDENCE): $(EVIDENCE_INPUTS) | setup
	$(RUN) coverage run -p -m pytest -m claim --claims-report=$(EVIDENCE); \
	status=$$?; [ $$status -le 1 ] || { rm -f $(EVIDENCE); exit $$status; }

evidence:
	rm -f $(EVIDENCE)
	$(MAKE) $(EVIDENCE)

# Rebuilds a page within seconds of an edit to its snippet, cases, topic.yaml or page (the
# `watch:` list in mkdocs.yml); never waits on the claim tests once a report exists.
serve: bundle
	@[ -f $(EVIDENCE) ] || $(MAKE) $(EVIDENCE)
	SITE_URL=http://127.0.0.1:8000/ $(RUN) mkdocs serve --strict -a 127.0.0.1:8000

build: bundle $(EVIDENCE)
	$(RUN) python -m scripts.typecheck
	$(RUN) mkdocs build --strict -d $(SITE_DIR)

lint: setup
	$(RUN) ruff check $(LINT_PATHS)
	$(RUN) ruff format --check $(LINT_PATHS)

# Every topic's cases on each release line in docs/data/versions.yaml, each installed from PyPI
# into .cache/matrix/envs/ (reused while its pins and uv.lock are unchanged); rewrites
# docs/data/matrix.json, which the pages render. Commit it.
matrix: setup
	$(RUN) python -m scripts.matrix run

# Mutants of the snippets, each against every test that imports its file; prints the share
# caught and writes .cache/mutation/report.json (slow: not in `make test`; see CONTRIBUTING.md
# for its time and last score).
mutation: setup
	$(RUN) python -m scripts.mutation

# Claim tests first (they re-measure throughput with wrk), with nothing beside them but the
# live demos' bundle and strict mypy over the snippets (the typing page's counts) at idle
# priority: those two measure nothing, have no time limit, and get only the CPU time the claim
# tests leave unused (about half of it: a server and wrk each hold at most one core). Then
# everything else that measures no time, as one job graph on both cores (make --jobs): the
# in-process hostile requests (each guide page shows how many its snippets survived), then the
# site (which reads them, the typing report, the bundle and the claim evidence) beside every other
# test on both cores (pytest-xdist; a test that reads a page waits for the build); beside all of
# these, the older release lines of the version
# matrix (the locked ones are the main run's own cases), which nothing else reads. Last, the
# `timing` tests alone, so no other test's load skews them. Coverage of snippets/ adds up every
# pytest run (xdist workers included), and its report is printed even when a test failed.
# Stage times on 2 cores: CONTRIBUTING.md ("How long make test takes").
# Every process of `make test` (each pytest run and xdist worker, each demo server, mkdocs)
# imports most of the locked packages: cached bytecode (in .cache/pycache, out of the source
# tree that `mkdocs serve` and the freshness check watch) spares each one compiling them again,
# also where the environment sets PYTHONDONTWRITEBYTECODE (an empty value turns it off).
test: export PYTHONDONTWRITEBYTECODE :=
test: export PYTHONPYCACHEPREFIX := $(abspath .cache/pycache)
test: lint
	$(RUN) coverage erase
	@mkdir -p .cache
	$(IDLE) $(MAKE) --jobs=2 --output-sync=target bundle test-typecheck test-matrix-envs >$(IDLE_LOG) 2>&1 & \
	idle=$$!; $(MAKE) evidence; claims=$$?; wait $$idle; idle=$$?; cat $(IDLE_LOG); \
	[ $$claims -eq 0 ] && [ $$idle -eq 0 ]
	$(MAKE) --jobs=4 --keep-going --output-sync=target test-parallel test-matrix \
		SITE_NEEDS=test-hostile; parallel=$$?; \
	$(RUN) coverage run -p -m pytest -m "$(MAIN_TESTS) and timing"; alone=$$?; \
	$(RUN) coverage combine; $(RUN) coverage report --fail-under=100 \
	&& [ $$parallel -eq 0 ] && [ $$alone -eq 0 ]

# `make test` three times in a row while one spinning process per core switches on and off
# every 5 s (scripts/under_load.py): the timing tests and claim re-measurements must stay green,
# and no verdict may flip, on a busy machine. About an hour on 2 cores; not part of `make test`.
test-under-load:
	$(PYTHON) -m scripts.under_load --runs 3 -- $(MAKE) test

# Idle priority (SCHED_IDLE: the process runs only when a core would otherwise be idle), for
# the work `make test` does beside the claim tests; its output is printed when it ends.
IDLE := $(if $(shell command -v chrt),chrt --idle 0,nice -n 19)
IDLE_LOG := .cache/idle-jobs.log
# What the site build needs besides the claim evidence (`make test` builds the last two first).
SITE_NEEDS := test-hostile test-typecheck bundle

# The tests `make test` runs beside the site build (the claim and hostile ones ran before it).
MAIN_TESTS := not claim and not hostile
# The tests that measure no time on three workers for two cores: each worker waits on a
# browser, a server or a subprocess part of the time, and the longest browser units (queued
# longest first: tests/support/xdist_groups.py) then start together. Which tests share a
# worker: tests/support/xdist_groups.py.
TEST_WORKERS ?= 3
XDIST := -n $(TEST_WORKERS) --dist loadgroup

# The checks that measure no time: the in-process hostile requests, strict mypy and the bundle
# (in `make test`, built beside the claim tests already), then the site build that shows their
# counts, beside every other test but the `timing` ones on both cores. The build (about 30 s on
# one core) overlaps the workers' start and the tests that read no page; a test that reads the
# site waits in the `site_dir` fixture for the exit status the build leaves in SITE_STATUS, and
# fails if the build failed. The build's output goes to SITE_LOG, printed after the tests. The
# build runs in a session of its own (setsid), stopped when the tests are interrupted: a
# background job ignores Ctrl-C, and a build left running would write a later run's site.
SITE_STATUS := .cache/site-build.status
SITE_LOG := .cache/site-build.log
SETSID := $(if $(shell command -v setsid),setsid,)
test-parallel: $(SITE_NEEDS)
	@mkdir -p .cache && rm -f $(SITE_STATUS)
	$(SETSID) sh -c '$(RUN) mkdocs build --strict -d $(SITE_DIR) >$(SITE_LOG) 2>&1; \
		echo $$? >$(SITE_STATUS).tmp; mv $(SITE_STATUS).tmp $(SITE_STATUS)' & build=$$!; \
	trap 'kill -TERM -$$build 2>/dev/null || kill -TERM $$build 2>/dev/null' INT TERM HUP; \
	GUIDE_SITE_DIR=$(abspath $(SITE_DIR)) GUIDE_SITE_STATUS=$(abspath $(SITE_STATUS)) \
		$(RUN) coverage run -p -m pytest $(XDIST) -m "$(MAIN_TESTS) and not timing"; tests=$$?; \
	wait $$build; cat $(SITE_LOG); [ "$$(cat $(SITE_STATUS))" = 0 ] && [ $$tests -eq 0 ]

# The independent checks (each needs only setup). The hostile suite on two workers: beside the
# matrix check, its one process left a core idle once the matrix was done. The older release
# lines' environments (about 45 s to build alone in a fresh clone) are built beside the claim tests at
# idle priority (`test-matrix-envs`); their cases, whose socket replies have a time limit, run here.
test-hostile:
	$(RUN) coverage run -p -m pytest -n 2 -m hostile

test-matrix:
	$(RUN) python -m scripts.matrix check

# Best effort: if it fails (PyPI unreachable, say), test-matrix builds what is missing and says why.
test-matrix-envs:
	$(RUN) python -m scripts.matrix prepare || echo "version matrix: test-matrix will build the environments"

test-typecheck:
	$(RUN) python -m scripts.typecheck

# Every runnable case in Pyodide, in Chromium and WebKitGTK, against CPython: one test per
# engine (part of `make test`'s parallel stage too).
parity: build
	GUIDE_SITE_DIR=$(abspath $(SITE_DIR)) $(RUN) pytest -m parity

# Home, a guide page, benchmarks and the decision guide at 1280x900 and 390x844, light and
# dark, as PNGs in screenshots/ (not committed), for reviewing the layout by eye.
screenshots: build
	$(RUN) python -m scripts.screenshots $(SITE_DIR) screenshots

# The full benchmark suite: a new docs/data/benchmarks/*.json (107 cells, 5 interleaved rounds of
# 2 s: 23 minutes on 2 cores with --reruns 0; re-running noisy cells can add as much again).
# Needs wrk and PostgreSQL's server binaries.
bench: setup
	$(RUN) python -m scripts.bench run

# Two configurations at two concurrency levels, short runs, into a temporary directory; checks
# the schema.
bench-smoke: setup
	tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	$(RUN) python -m scripts.bench run --smoke --out "$$tmp" && \
	$(RUN) python -m scripts.bench check "$$tmp"/*.json

# Bytes and cold/warm seconds of the live demos' first and second Run, per framework, in headless
# Chromium and WebKitGTK (scripts/live/measure.py), MEASURE_RUNS times with the engines alternating;
# prints JSON with the machine's load average around each run and each tab's median and range.
MEASURE_RUNS ?= 3
measure-live: build
	$(RUN) python -m scripts.live.measure $(SITE_DIR) --runs $(MEASURE_RUNS)

clean:
	rm -rf $(SITE_DIR) screenshots .coverage .coverage.* .pytest_cache $(EVIDENCE)
