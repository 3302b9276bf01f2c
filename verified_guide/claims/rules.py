"""The rules that turn figures into a verdict on one claim, and the claims file they check.

Each claim in ``docs/data/claims.yaml`` names a *rule* here: a function that reads figures
(the newest benchmark result file, the snippet files, the topics' data, the decision guide's
rules) and returns a ``Finding``: a label and a sentence with the figures it read. A rule
declares the model of its inputs, so a claim with a misspelt or missing input stops the
build. Cells, ratios and setup names are read from the result file by ``figures.py``. The
rules know nothing of tests (``ledger.py`` combines the two) nor of pages
(``docs/plugins/claims_page.py`` renders them).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, cached_property
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Annotated, Any, Literal, Union

from pydantic import Field, create_model

from verified_guide.bench.config import DATABASE_NAMES, SQLITE
from verified_guide.bench.stats import Interval
from verified_guide.claims.evidence import ClaimError
from verified_guide.claims.figures import (
    Document,
    cost_figures,
    costs_of,
    label_of,
    narrowing,
    ok_cell,
    ratio_lines,
    ratio_text,
    ratios_of,
    rps_ratio_of,
)
from verified_guide.claims.inputs import (
    ClaimInputs,
    DecisionInputs,
    FasterInputs,
    FewestLinesInputs,
    GapInputs,
    GapMattersInputs,
    HighestCostInputs,
    LowestCostsInputs,
    PackagesInputs,
    PublishedRankInputs,
    RpsRatioInputs,
    SnippetLinesInputs,
    WithFinding,
)
from verified_guide.datafiles import Strict, load_model
from verified_guide.decision import Question, load_rules, recommend
from verified_guide.published import get_source
from verified_guide.topics import FRAMEWORK_TITLES, ROOT, all_topics, get_topic

CLAIMS_FILE = ROOT / "docs" / "data" / "claims.yaml"

CONFIRMED, PARTLY, REFUTED, BORDERLINE, NOT_CHECKABLE = (
    "confirmed",
    "partly true",
    "refuted",
    "borderline",
    "not checkable here",
)

RATIO_TOLERANCE = 0.25  # a measured ratio within 25% of the claimed one confirms it
MATTERS = 1.5  # a throughput gap of 1.5 times or more is one a high-throughput API feels
AGREE = 2 / 3  # the decision guide agrees "mostly" with a profile above this share


# ----------------------------------------------------------------------------- claims


@cache
def claims_file_model() -> Any:
    """``claims.yaml``: a list of claims, each checked by the model of the rule it names
    (built once, after every rule below has registered)."""
    models = tuple(model for _, _, model in RULES.values())
    entry = Annotated[Union[models], Field(discriminator="rule")]  # noqa: UP007
    return create_model("ClaimsFile", __base__=Strict, claims=(list[entry], ...))


def load_claims(path: Path = CLAIMS_FILE) -> list[dict[str, Any]]:
    """Every claim, checked against its rule's inputs, as a dict with each default filled."""
    claims = [c.model_dump() for c in load_model(path, claims_file_model(), ClaimError).claims]
    ids = [c["id"] for c in claims]
    for claim in claims:
        if ids.count(claim["id"]) > 1:
            raise ClaimError(f"{path}: claim id {claim['id']!r} appears twice")
        reference = claim.get("reference_claim")
        if reference is not None and reference not in ids:
            raise ClaimError(f"{path}: claim {claim['id']}: unknown reference_claim {reference!r}")
    return claims


@cache
def known_claim_ids() -> frozenset[str]:
    return frozenset(c["id"] for c in load_claims())


@dataclass(frozen=True)
class Finding:
    """What a rule reads from the figures: a label, the sentence with the figures, and
    the benchmark cells and cost rows it used (the page links to them)."""

    label: str
    text: str
    cells: tuple[tuple[str, str, str], ...] = ()  # (configuration, endpoint, database)
    costs: tuple[str, ...] = ()  # frameworks whose cost row was read
    comparisons: tuple[Comparison, ...] = ()  # the ratios the verdict rests on


@dataclass(frozen=True)
class Comparison:
    """A measured ratio the verdict reads, with its interval; 1 is where the order flips."""

    name: str
    interval: Interval
    # The cells the ratio reads (configuration, endpoint, database): a claim test whose
    # re-measurement reversed this comparison on a starved server measures these again.
    cells: tuple[tuple[str, str, str], ...] = ()

    def reversed_against(self, other: Comparison) -> bool:
        """Both intervals exclude 1, on opposite sides: the order of the two setups changed."""
        return (self.interval.above(1) and other.interval.below(1)) or (
            self.interval.below(1) and other.interval.above(1)
        )


class Sources:
    """The data files a rule may read besides the result file: every claim (a ratio claim reads
    its reference claim's figures) and the decision guide's rules, citing the same result file.
    A site build loads them once (``docs/plugins/context.py``) and hands the same to every
    rule; what the caller does not give is read here, on first use (a test judging one claim).
    """

    def __init__(
        self,
        doc: Document | None,
        claims: list[dict] | None = None,
        questions: list[Question] | None = None,
    ) -> None:
        self._doc, self._claims, self._questions = doc, claims, questions

    @cached_property
    def claims(self) -> dict[str, dict]:
        """Every claim by id."""
        every = load_claims() if self._claims is None else self._claims
        return {claim["id"]: claim for claim in every}

    @cached_property
    def questions(self) -> list[Question]:
        return load_rules(doc=self._doc) if self._questions is None else self._questions


# ----------------------------------------------------------------------------- rules

RuleFunction = Callable[[dict, Document | None, "Sources"], Finding]
RULES: dict[str, tuple[str, RuleFunction, type[ClaimInputs]]] = {}


def rule(
    description: str, inputs: type[ClaimInputs] = ClaimInputs
) -> Callable[[RuleFunction], RuleFunction]:
    """Register a rule under its function name, with the sentence the page prints for it and
    the model of the inputs a claim gives it (``claims.yaml`` is checked against it)."""

    def register(function: RuleFunction) -> RuleFunction:
        name = function.__name__
        model = create_model(
            f"{name}_claim",
            __base__=inputs,
            rule=(Literal[name], ...),  # type: ignore[valid-type]
        )
        RULES[name] = (description, function, model)
        return function

    return register


def classify(
    interval: Interval, limits: tuple[float, ...], point: Callable[[float], str]
) -> tuple[str, str]:
    """The verdict ``point`` gives everywhere in the interval, or borderline.

    ``limits`` are where ``point`` may change its answer; the interval is judged by the
    answers on every stretch between limits it touches: one answer is the verdict, two or
    more make it borderline (returned with a note naming them).
    """
    edges = sorted({interval.low, interval.high, *(x for x in limits if x > 0)})
    inside = [x for x in edges if interval.low <= x <= interval.high]
    probes = [interval.low, interval.high, interval.value]
    probes += [(x + y) / 2 for x, y in itertools.pairwise(inside)]
    found = list(dict.fromkeys(point(x) for x in probes))
    if len(found) == 1:
        return found[0], ""
    return BORDERLINE, f"; borderline: the interval reaches from {' to '.join(found)}"


NO_RESULTS = Finding(NOT_CHECKABLE, "No benchmark result file yet: run `make bench`.")


@rule(
    "Checked by tests alone: confirmed when every test that carries the claim passes.",
    WithFinding,
)
def tests_pass(claim: dict, doc: Document | None, sources: Sources) -> Finding:
    return Finding(CONFIRMED, claim["finding"])


@rule(
    "Popularity and other facts about the world outside this repository, which no test here "
    "can measure: judged from published data (docs/data/published.yaml), cited with its "
    "source, date and method. Confirmed when the source ranks the framework first, refuted "
    "otherwise.",
    PublishedRankInputs,
)
def published_rank(claim: dict, doc: Document | None, sources: Sources) -> Finding:
    source = get_source(claim["source"])
    ranking = source.ranking(claim["question"])
    name = FRAMEWORK_TITLES[claim["framework"]]
    verdict = CONFIRMED if ranking.first == name else REFUTED
    trend = (
        f", up from {ranking.previous_percent:g}% in the edition before"
        if ranking.previous_percent is not None
        else ""
    )
    return Finding(
        verdict,
        f"Judged from published data, not by a test here. The {source.title} "
        f"([{source.publisher}, published {source.published:%d %B %Y}]({source.url}); "
        f"more than {source.responses_over:,} responses collected in {source.collected}) "
        f'asks "{ranking.question}": the answer chosen most is {ranking.first}, by '
        f"{ranking.share_percent:g}% of respondents{trend}"
        + ("." if verdict == CONFIRMED else f", not {name}.")
        + f" Method: {source.method} Biases: {source.biases} {claim['finding']}".rstrip(),
    )


@rule(
    "Confirmed when the snippet is one file of at most the claimed number of lines of code "
    "(counted by the guide's one rule: neither blank nor only a comment).",
    SnippetLinesInputs,
)
def snippet_lines(claim: dict, doc: Document | None, sources: Sources) -> Finding:
    topic = get_topic(claim["topic"])
    path = topic.snippet_path(claim["framework"])
    files = topic.counted_files(claim["framework"])
    lines = topic.lines_of_code(claim["framework"])
    verdict = CONFIRMED if lines <= claim["max_lines"] and files == [path] else REFUTED
    return Finding(
        verdict,
        f"`{path.relative_to(ROOT)}` is {'one file' if files == [path] else f'{len(files)} files'}"
        f" of {lines} lines of code (the claim allows {claim['max_lines']}), and it answers "
        "its examples.",
    )


@rule(
    "Lines of code for the same features, counted from the snippets by the guide's one rule "
    "(migration scripts, which tools write, are not counted for any framework): confirmed "
    "when the framework needs the fewest on every topic, partly true when on the total only, "
    "refuted otherwise.",
    FewestLinesInputs,
)
def fewest_lines(claim: dict, doc: Document | None, sources: Sources) -> Finding:
    topics = [get_topic(slug) for slug in claim["topics"]]
    compared = [fw for fw in FRAMEWORK_TITLES if all(fw in t.frameworks() for t in topics)]
    if claim["framework"] not in compared:
        lacking = [t.slug for t in topics if claim["framework"] not in t.frameworks()]
        raise ClaimError(f"claim {claim['id']}: {claim['framework']} has no snippet in {lacking}")
    counts = {t.slug: {fw: t.lines_of_code(fw) for fw in compared} for t in topics}
    totals = {fw: sum(c[fw] for c in counts.values()) for fw in compared}
    target = claim["framework"]
    wins = [min(c, key=c.get) == target for c in counts.values()]
    if all(wins):
        verdict = CONFIRMED
    else:
        verdict = PARTLY if min(totals, key=totals.get) == target else REFUTED
    per_topic = "; ".join(
        f"{get_topic(slug).title.lower()}: "
        + ", ".join(f"{FRAMEWORK_TITLES[fw]} {n}" for fw, n in c.items())
        for slug, c in counts.items()
    )
    return Finding(
        verdict,
        f"Lines of code for the same features ({per_topic}); in total "
        + ", ".join(f"{FRAMEWORK_TITLES[fw]} {n}" for fw, n in totals.items())
        + f". {claim['finding']}",
    )


@rule(
    "Confirmed when every named package has a snippet in the guide that passes its tests "
    "with the installed release; partly true when some have; not checkable here when none.",
    PackagesInputs,
)
def packages_covered(claim: dict, doc: Document | None, sources: Sources) -> Finding:
    named = {
        pkg.lower()
        for topic in all_topics()
        for pkg in topic.meta.extensions.get(claim["framework"], [])
    }
    covered, uncovered = [], []
    for pkg in claim["packages"]:
        try:
            installed = version(pkg)
        except PackageNotFoundError:
            installed = None
        if pkg.lower() in named and installed:
            covered.append(f"{pkg} {installed}")
        else:
            uncovered.append(pkg)
    verdict = CONFIRMED if not uncovered else (PARTLY if covered else NOT_CHECKABLE)
    text = "Shown and tested in the guide: " + (", ".join(covered) or "none") + "."
    if uncovered:
        text += " Not covered by a snippet here, so not checked: " + ", ".join(uncovered) + "."
    return Finding(verdict, f"{text} {claim.get('finding', '')}".strip())


#: Costs timed or sampled once per run (the counts and sizes of an install are exact): within
#: this margin of the next framework, which is lower is left open.
TIMED_COSTS = frozenset({"import_ms", "idle_rss_mb", "start_to_first_200_ms"})
COST_MARGIN = 0.10


@rule(
    "From the cost step of the benchmark: confirmed when the framework is lowest on every "
    "measured cost, partly true when on some, refuted when on none. A time or a memory "
    f"figure within {COST_MARGIN:.0%} of the next framework's counts either way (one sample "
    "each: the order could swap on another run), and when that changes the verdict it is "
    "borderline.",
    LowestCostsInputs,
)
def lowest_costs(claim: dict, doc: Document | None, sources: Sources) -> Finding:
    costs = costs_of(doc)
    if not costs:
        return NO_RESULTS
    target = claim["framework"]
    sure = unsure = 0
    for metric in claim["metrics"]:
        mine = costs[target][metric]
        best_other = min(c[metric] for fw, c in costs.items() if fw != target)
        margin = COST_MARGIN if metric in TIMED_COSTS else 0.0
        if mine < best_other * (1 - margin):
            sure += 1
        elif mine <= best_other * (1 + margin) and margin:
            unsure += 1
    verdict, note = _count_verdict(sure, unsure, len(claim["metrics"]))
    figures = "; ".join(cost_figures(costs, m) for m in claim["metrics"])
    within = f" ({unsure} within {COST_MARGIN:.0%} of the next: either way)" if unsure else ""
    return Finding(verdict, f"{figures}{within}{note}. {claim['finding']}", costs=tuple(costs))


@rule(
    "From the cost step of the benchmark: confirmed when the framework is highest on the "
    "metric, refuted when lowest, partly true in between.",
    HighestCostInputs,
)
def highest_cost(claim: dict, doc: Document | None, sources: Sources) -> Finding:
    costs = costs_of(doc)
    if not costs:
        return NO_RESULTS
    metric, target = claim["metric"], claim["framework"]
    ranked = sorted(costs, key=lambda fw: costs[fw][metric])
    verdict = CONFIRMED if ranked[-1] == target else REFUTED if ranked[0] == target else PARTLY
    return Finding(
        verdict,
        f"In a fresh virtual environment, {cost_figures(costs, metric)}: the most is "
        f"{FRAMEWORK_TITLES[ranked[-1]]}, the fewest {FRAMEWORK_TITLES[ranked[0]]}. "
        f"{claim.get('finding', '')}".strip(),
        costs=tuple(costs),
    )


@rule(
    "Absolute figures depend on the hardware, so the claim is judged by its ratio to a "
    "reference setup measured on the same machine, in interleaved rounds, with a 95% "
    "interval: confirmed when the measured ratio is "
    f"within {RATIO_TOLERANCE:.0%} of the ratio the article's own figures give, partly true "
    "when it is on the same side of 1 (the order holds, the size does not), refuted when "
    "the order is reversed; borderline when the interval reaches across one of those limits.",
    RpsRatioInputs,
)
def rps_ratio(claim: dict, doc: Document | None, sources: Sources) -> Finding:
    if doc is None:
        return NO_RESULTS
    reference = sources.claims[claim["reference_claim"]]
    config, ref_config, endpoint = claim["config"], reference["config"], claim["endpoint"]
    cells = ((config, endpoint, SQLITE), (ref_config, endpoint, SQLITE))
    measured = rps_ratio_of(doc, config, ref_config, endpoint)
    if measured is None:
        return Finding(NOT_CHECKABLE, "A cell this claim needs failed; see the results.", cells)
    claimed = claim["rps"] / reference["rps"]

    def point(x: float) -> str:
        if abs(x / claimed - 1) <= RATIO_TOLERANCE:
            return CONFIRMED
        return PARTLY if (x > 1) == (claimed > 1) else REFUTED

    limits = (1.0, claimed * (1 - RATIO_TOLERANCE), claimed * (1 + RATIO_TOLERANCE))
    verdict, note = classify(measured, limits, point)
    mine = ok_cell(doc, config, endpoint)["rps"]
    return Finding(
        verdict,
        f"The article's figures give {label_of(doc, config)} {claimed:.2f} times "
        f"{label_of(doc, ref_config)} ({claim['rps']:,} against {reference['rps']:,} req/s); "
        f"measured here it is {ratio_text(measured)} times ({mine:,.0f} against "
        f"{ok_cell(doc, ref_config, endpoint)['rps']:,.0f} req/s, medians of the runs, one "
        f"worker, {doc['suite']['concurrency']} connections){note}. "
        f"{claim.get('finding', '')}".strip(),
        cells,
        comparisons=(Comparison(f"{config} ÷ {ref_config} on {endpoint}", measured, cells),),
    )


@rule(
    "Confirmed when the first setup serves at least the stated multiple of the second's "
    "requests per second on the endpoint, partly true when it is faster by less, refuted "
    "when it is not faster; borderline when the ratio's 95% interval reaches across one of "
    "those limits.",
    FasterInputs,
)
def faster(claim: dict, doc: Document | None, sources: Sources) -> Finding:
    if doc is None:
        return NO_RESULTS
    a, b, endpoint = claim["a"], claim["b"], claim["endpoint"]
    cells = ((a, endpoint, SQLITE), (b, endpoint, SQLITE))
    ratio = rps_ratio_of(doc, a, b, endpoint)
    if ratio is None:
        return Finding(NOT_CHECKABLE, "A cell this claim needs failed; see the results.", cells)

    def point(x: float) -> str:
        return CONFIRMED if x >= claim["min_ratio"] else PARTLY if x > 1 else REFUTED

    verdict, note = classify(ratio, (1.0, claim["min_ratio"]), point)
    return Finding(
        verdict,
        f"On `{endpoint}`, {label_of(doc, a)} serves {ok_cell(doc, a, endpoint)['rps']:,.0f} "
        f"req/s and {label_of(doc, b)} {ok_cell(doc, b, endpoint)['rps']:,.0f}: "
        f"{ratio_text(ratio)} times (the "
        f"rule asks for {claim['min_ratio']:g}){note}. {claim.get('finding', '')}".strip(),
        cells,
        comparisons=(Comparison(f"{a} ÷ {b} on {endpoint}", ratio, cells),),
    )


def _missing_text(missing: int) -> str:
    """The pairs a claim could not compare because a cell failed (counted as either way)."""
    return f"; {missing} pair(s) have a failed cell and count either way" if missing else ""


def _count_verdict(sure: int, unsure: int, total: int) -> tuple[str, str]:
    """All / some / none of ``total`` tests hold, when ``unsure`` of them may go either way:
    the verdict if it is the same whichever way they go, else borderline with the two."""

    def verdict(holding: int) -> str:
        return CONFIRMED if holding == total else PARTLY if holding else REFUTED

    low, high = verdict(sure), verdict(sure + unsure)
    if low == high:
        return low, ""
    return BORDERLINE, f" (between {low} and {high}: {unsure} interval(s) reach across the limit)"


@rule(
    f"The gap matters when the first setup serves at least {MATTERS:g} times the others' "
    "requests per second: confirmed when it does on every endpoint against every other "
    "setup, partly true when on some, refuted when on none; a ratio whose 95% interval "
    f"reaches across {MATTERS:g} counts either way, and when that changes the verdict it is "
    "borderline.",
    GapMattersInputs,
)
def gap_matters(claim: dict, doc: Document | None, sources: Sources) -> Finding:
    if doc is None:
        return NO_RESULTS
    ratios = ratios_of(doc, claim)
    cells = tuple(
        (c, ep, SQLITE) for c in (claim["a"], *claim["others"]) for ep in claim["endpoints"]
    )
    if not ratios:
        return Finding(NOT_CHECKABLE, "The cells this claim needs failed.", cells)
    # A pair whose cell failed could go either way: it must not make "every pair" easier.
    pairs = len(claim["others"]) * len(claim["endpoints"])
    missing = pairs - len(ratios)
    sure = sum(r.above(MATTERS) for r in ratios.values())
    unsure = sum(r.straddles(MATTERS) for r in ratios.values())
    verdict, note = _count_verdict(sure, unsure + missing, pairs)
    text = (
        f"{label_of(doc, claim['a'])}, as a multiple of the others' req/s per endpoint (95% "
        f"intervals): {ratio_lines(doc, claim, ratios)}. {sure} of {pairs} pairs reach "
        f"{MATTERS:g}{', ' + str(unsure) + ' more are borderline' if unsure else ''}"
        f"{_missing_text(missing)}{note}."
    )
    comparisons = tuple(
        Comparison(f"{claim['a']} ÷ {o} on {ep}", r, ((claim["a"], ep, SQLITE), (o, ep, SQLITE)))
        for (o, ep), r in ratios.items()
    )
    same_server = claim.get("same_server")
    if same_server and (r := rps_ratio_of(doc, *same_server, "json")) is not None:
        text += (
            f" On one server for both, {label_of(doc, same_server[0])} ÷ "
            f"{label_of(doc, same_server[1])}"
            f" on `json` is {ratio_text(r)}: much of the gap is the server, not the framework."
        )
        cells += tuple((c, "json", SQLITE) for c in same_server)
    return Finding(verdict, text, cells, comparisons=comparisons)


@rule(
    "The database is the limit if the gap between frameworks shrinks when each request "
    "reads a row: for each database, confirmed when the ratio on the database endpoint is "
    "smaller than on the JSON endpoint against every other setup (the ratio of the two "
    "ratios, with its 95% interval, below 1), partly true against some, refuted against "
    "none, borderline when an interval that reaches across 1 could change that. The "
    "verdict is the first listed database's; the others are reported beside it.",
    GapInputs,
)
def gap_narrows(claim: dict, doc: Document | None, sources: Sources) -> Finding:
    if doc is None:
        return NO_RESULTS
    wide, narrow = claim["endpoints"]
    databases = claim.get("databases", [SQLITE])
    cells = tuple(
        (c, ep, db)
        for db in databases
        for c in (claim["a"], *claim["others"])
        for ep in claim["endpoints"]
    )
    verdicts, parts, comparisons = [], [], []
    for database in databases:
        shrink = {
            o: n
            for o in claim["others"]
            if (n := narrowing(doc, claim["a"], o, wide, narrow, database)) is not None
        }
        if not shrink:
            if not parts:  # the first listed database gives the verdict: none without it
                return Finding(
                    NOT_CHECKABLE,
                    f"On {DATABASE_NAMES[database]}, the cells this claim needs failed or were "
                    "not measured.",
                    cells,
                )
            parts.append(f"On {DATABASE_NAMES[database]}: its cells failed or were not measured.")
            continue
        missing = len(claim["others"]) - len(shrink)
        sure = sum(n.below(1) for n in shrink.values())
        unsure = sum(n.straddles(1) for n in shrink.values())
        verdict, note = _count_verdict(sure, unsure + missing, len(claim["others"]))
        note = _missing_text(missing) + note
        verdicts.append(verdict)
        ratios = ratios_of(doc, claim, database)
        parts.append(
            f"On {DATABASE_NAMES[database]}, {verdict}{note}: {label_of(doc, claim['a'])} as a "
            f"multiple of the others: {ratio_lines(doc, claim, ratios)}; the `{narrow}` ratio "
            f"÷ the `{wide}` ratio: "
            + ", ".join(f"{label_of(doc, o)} {ratio_text(n)}" for o, n in shrink.items())
            + "."
        )
        comparisons += [
            Comparison(
                f"{claim['a']} ÷ {o}: {narrow} gap ÷ {wide} gap on {database}",
                n,
                tuple((c, ep, database) for c in (claim["a"], o) for ep in (wide, narrow)),
            )
            for o, n in shrink.items()
        ]
    if not verdicts:
        return Finding(NOT_CHECKABLE, "The cells this claim needs failed.", cells)
    return Finding(
        verdicts[0],
        " ".join(parts) + f" {claim.get('finding', '')}".rstrip(),
        cells,
        comparisons=tuple(comparisons),
    )


@rule(
    "The decision guide's rules (each reason linked to its evidence) are asked every "
    "combination of the answers the article's advice leaves open: confirmed when, for "
    f"each of its profiles, the guide names the same framework alone in more than "
    f"{AGREE:.0%} of them, refuted when in under {1 - AGREE:.0%} for every profile, partly "
    "true otherwise.",
    DecisionInputs,
)
def decision_agrees(claim: dict, doc: Document | None, sources: Sources) -> Finding:
    questions = sources.questions
    shares = []
    for profile in claim["profiles"]:
        fixed = profile["answers"]
        free = [q for q in questions if q.id not in fixed]
        combos = itertools.product(*[[o.id for o in q.options] for q in free])
        outcomes = [
            recommend(questions, {**fixed, **dict(zip((q.id for q in free), combo, strict=True))})
            for combo in combos
        ]
        agree = sum(o.winners == (profile["framework"],) for o in outcomes)
        shares.append((profile, agree / len(outcomes)))
    if all(share > AGREE for _, share in shares):
        verdict = CONFIRMED
    elif all(share < 1 - AGREE for _, share in shares):
        verdict = REFUTED
    else:
        verdict = PARTLY
    parts = "; ".join(
        f"{p['name']} → {FRAMEWORK_TITLES[p['framework']]} in {share:.0%}" for p, share in shares
    )
    return Finding(verdict, f"The guide agrees with the article: {parts}. {claim['finding']}")


#: Rules that judge from data outside this repository: no test here can carry them.
UNTESTED_RULES = frozenset({"published_rank"})


def finding(claim: dict, doc: Document | None, sources: Sources | None = None) -> Finding:
    """The rule's reading of the figures alone (what the reproduction tests compare), from
    ``sources`` as loaded by the caller, or read here when none are given."""
    return RULES[claim["rule"]][1](claim, doc, sources or Sources(doc))


def rule_descriptions() -> list[tuple[str, str]]:
    return [(name, description) for name, (description, *_) in RULES.items()]
