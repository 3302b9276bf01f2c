"""What a page hands its scripts: JSON inside ``<script>`` elements and the live demo's
placeholder, whose ``data-`` attributes ``docs/assets/live/live.js`` reads.

The data comes from the layers below (``verified_guide/live/support.py`` says which snippets run in
the browser and which hash a password; the topics and the decision rules give the JSON); only
the markup is made here.
"""

from __future__ import annotations

import html
import json

from verified_guide.live.support import hashes_passwords, unsupported


def live_placeholder(topic: str, framework: str) -> str:
    """The element live.js turns into the Run controls, or a note saying why there are none."""
    attrs = f'class="live-demo" data-topic="{topic}" data-framework="{framework}"'
    reason = unsupported().get((topic, framework))
    if reason is None:
        hashing = ' data-hashing="true"' if hashes_passwords(topic, framework) else ""
        return f"<div {attrs}{hashing}></div>"
    return (
        f'<div {attrs} data-unsupported="true"><p class="live-demo__note">'
        f"No live demo for this snippet: {html.escape(reason)}</p></div>"
    )


def script_json(data: object) -> str:
    """JSON safe inside <script>: `<`, `>` and `&` escaped the JSON way, which JSON.parse undoes.

    HTML entities would not do: a <script> element's text is not entity-decoded.
    """
    text = json.dumps(data)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
