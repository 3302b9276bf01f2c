// The live demos' code editor: CodeMirror 6 with Python highlighting, bundled by esbuild into
// one self-hosted file (verified_guide/live/build_bundle.py). live.js imports it on the first Run.
import { EditorView, basicSetup } from "codemirror";
import { python } from "@codemirror/lang-python";
import { keymap } from "@codemirror/view";
import { indentWithTab } from "@codemirror/commands";

/** Create an editor in `parent` holding `doc`; returns get/set accessors for its text. */
export function createEditor(parent, doc, label) {
  const view = new EditorView({
    doc,
    parent,
    extensions: [
      basicSetup,
      keymap.of([indentWithTab]),
      python(),
      EditorView.contentAttributes.of({ "aria-label": label }),
    ],
  });
  return {
    get: () => view.state.doc.toString(),
    set: (text) => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } }),
    view,
  };
}
