// Decision guide (decide.md): scores the reader's answers with the rules the page embeds as
// JSON (from docs/data/decision.yaml) and shows the recommendation with its reasons. The
// scoring is the same as verified_guide/decision.py's recommend(); tests/browser/test_decision_guide.py
// compares the two on every combination of answers. No network: the rules are in the page.
// Everything shown is built with createElement and textContent, so rule text stays text.

"use strict";

(() => {
  const rulesElement = document.getElementById("decision-rules");
  const form = document.querySelector("form.decision-guide");
  if (!rulesElement || !form) return; // every other page of the site

  const rules = JSON.parse(rulesElement.textContent);
  const titles = Object.fromEntries(rules.frameworks.map((fw) => [fw.id, fw.title]));
  const output = form.querySelector(".decision-guide__result");

  // Sum each framework's points over the chosen answers; every top scorer wins (a tie stays a
  // tie). `answers` maps question ids to option ids; a question left out counts nothing.
  function recommend(answers) {
    const known = new Set(rules.questions.map((q) => q.id));
    const unknown = Object.keys(answers).filter((id) => !known.has(id));
    if (unknown.length) throw new Error(`unknown question id ${unknown[0]}`);
    const reasons = [];
    for (const question of rules.questions) {
      if (!Object.hasOwn(answers, question.id)) continue;
      const option = question.options.find((o) => o.id === answers[question.id]);
      if (!option) throw new Error(`question ${question.id} has no option ${answers[question.id]}`);
      for (const { framework, points, reason, link } of option.effects) {
        reasons.push({ framework, points, reason, link });
      }
    }
    const scores = Object.fromEntries(rules.frameworks.map((fw) => [fw.id, 0]));
    for (const effect of reasons) scores[effect.framework] += effect.points;
    const top = Math.max(...Object.values(scores));
    const winners = top > 0 ? Object.keys(scores).filter((fw) => scores[fw] === top) : [];
    return { scores, winners, reasons };
  }

  function el(tag, props = {}, children = []) {
    const node = Object.assign(document.createElement(tag), props);
    for (const child of children) node.append(child);
    return node;
  }

  function namesList(ids) {
    const names = ids.map((id) => titles[id]);
    return names.length < 2 ? names.join("") : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
  }

  function answers() {
    const data = new FormData(form);
    return Object.fromEntries(rules.questions.filter((q) => data.has(q.id)).map((q) => [q.id, data.get(q.id)]));
  }

  function show({ scores, winners, reasons }) {
    if (!winners.length) {
      output.replaceChildren(el("p", { textContent: "Answer any question to see a recommendation." }));
      return;
    }
    const verdict = winners.length === 1 ? `Recommended: ${titles[winners[0]]}` : `A tie between ${namesList(winners)}`;
    const points = Object.entries(scores).map(([fw, score]) => `${titles[fw]} ${score}`).join(" · ");
    const items = reasons.map(({ framework, points: n, reason, link }) =>
      el("li", {}, [
        el("span", { className: "decision-guide__points", textContent: `${titles[framework]} +${n}` }),
        " ",
        el("a", { href: link, textContent: reason }),
      ]),
    );
    output.replaceChildren(
      el("p", { className: "decision-guide__verdict", textContent: verdict }),
      el("p", { className: "decision-guide__scores", textContent: `Points: ${points}` }),
      el("p", { textContent: "Why:" }),
      el("ul", { className: "decision-guide__reasons" }, items),
    );
  }

  const update = () => show(recommend(answers()));
  form.addEventListener("change", update);
  form.addEventListener("reset", () => setTimeout(update)); // fields are cleared after the event
  window.addEventListener("pageshow", update); // answers the browser restored on Back
  form.hidden = false;
  update();
  window.decisionGuide = Object.freeze({ recommend });
})();
