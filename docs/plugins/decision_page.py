"""The decision guide's page: the questionnaire, its rules as JSON for ``decide.js``, and the
same rules as a table for readers without JavaScript, all from ``docs/data/decision.yaml``
(checked and scored by ``verified_guide/decision.py``, which renders nothing).
"""

from __future__ import annotations

import html

from jinja2 import pass_context
from jinja2.runtime import Context
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

from docs.plugins.context import current
from docs.plugins.markdown import table
from docs.plugins.page_data import script_json
from verified_guide.decision import RULES_FILE, Question, as_data
from verified_guide.source_links import links
from verified_guide.topics import FRAMEWORK_TITLES, ROOT


def _decision_form(questions: list[Question]) -> str:
    """The questionnaire: hidden until decide.js, which scores it, removes ``hidden``.

    The questions and the recommendation are siblings so that ``decide.css`` can keep the
    recommendation in view while the reader answers: beside the questions on a wide screen,
    pinned to the bottom of the screen on a phone.
    """
    parts = [
        '<form class="decision-guide" hidden aria-label="Questionnaire">'
        '<div class="decision-guide__questions">'
    ]
    for q in questions:
        parts.append(f"<fieldset><legend>{html.escape(q.text)}</legend>")
        for o in q.options:
            field = f"decide-{q.id}-{o.id}"
            parts.append(
                f'<div class="decision-guide__option"><input type="radio" name="{q.id}" '
                f'id="{field}" value="{o.id}"><label for="{field}">{html.escape(o.label)}'
                "</label></div>"
            )
        parts.append("</fieldset>")
    parts.append(
        '<button type="reset" class="md-button">Clear the answers</button></div>'
        '<div class="decision-guide__result" role="status" aria-live="polite" '
        'aria-label="Recommendation" tabindex="0"></div></form>'
    )
    return "".join(parts)


def _decision_table(questions: list[Question], page_src: str) -> str:
    """Every rule as a table row, linked like any Markdown link so the build checks anchors."""
    rows = []
    for q in questions:
        first = True
        for o in q.options:
            effects = o.effects or (None,)
            for effect in effects:
                why, to = "no points: this answer favours none", "none"
                if effect is not None:
                    path, _, anchor = effect.link.partition("#")
                    link = f"{get_relative_url(path, page_src)}#{anchor}"
                    why = f"[{html.escape(effect.reason, quote=False)}]({link})"
                    to = f"{FRAMEWORK_TITLES[effect.framework]} +{effect.points}"
                question = f"**{html.escape(q.text, quote=False)}**" if first else ""
                rows.append([question, html.escape(o.label, quote=False), to, why])
                first = False
    sources = [
        links().link(RULES_FILE.relative_to(ROOT)),
        links().link("verified_guide/decision.py"),
        links().link("tests/test_decision.py"),
        links().link("tests/browser/test_decision_guide.py"),
    ]
    return (
        table(["Question", "Answer", "Points to", "Why"], rows)
        + f"\nRules: {sources[0]}, scored by {sources[1]} and by the page's script alike; "
        f"tested by {sources[2]} and, in the browser, {sources[3]}.\n"
    )


@pass_context
def decision_guide(context: Context) -> str:
    """The decision guide of the page that calls it: questionnaire, rules as JSON for its script
    (links made relative to this page's URL), and the same rules as a table for readers
    without JavaScript.

    The page is read from the Jinja context (the same page as the macros env's ``env.page``),
    so the links are right whichever page calls the macro.
    """
    page = context["page"]
    directory_urls = context["config"]["use_directory_urls"]
    questions = current().decision_rules

    def resolve(link: str) -> str:
        path, _, anchor = link.partition("#")
        url = File(path, None, "", directory_urls).url
        return f"{get_relative_url(url, page.url)}#{anchor}"

    rules = script_json(as_data(questions, resolve))
    return (
        '<noscript><p>The questionnaire needs JavaScript. <a href="#all-the-rules">All the '
        "rules</a> below are the same rules as a table: add up the points of your answers."
        "</p></noscript>\n\n"
        f"{_decision_form(questions)}\n\n"
        f'<script type="application/json" id="decision-rules">{rules}</script>\n\n'
        f"## All the rules\n\n{_decision_table(questions, page.file.src_uri)}"
    )


MACROS = (decision_guide,)
