// Live demos: a Run button under every snippet that runs it in the browser (Pyodide in a Web
// Worker, served by this site from live/). Nothing of Pyodide is fetched on page load: the
// runtime and the snippet's packages start loading when a reader shows intent (pointer over or
// focus on Run, or a demo scrolled into view after the reader scrolls), so Run finds them under
// way. The worker is then reused by every demo on the page until Stop or the time limit ends it.
// The editor is fetched only when the reader presses Edit. Responses are always shown with
// textContent, so a <script> in a body stays text.

"use strict";

(() => {
  const SCRIPT_URL = document.currentScript.src;
  const BUNDLE_URL = new URL("../../live/", SCRIPT_URL).href;
  const WORKER_URL = new URL("worker.js", SCRIPT_URL).href;
  const TIME_LIMIT_MS = 15000; // for the reader's code only: loading and setup are not counted
  // A download that sends no word for this long may have lost its connection. The progress
  // line says so and the load goes on: a slow link finishing a large file is not stopped for
  // it. Steps that run on this device (setting up, running) are not watched.
  const STALL_MS = 30000;
  const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

  let worker = null;
  let current = null; // the run in flight: {id, demo, resolve, timer}
  let warming = null; // the warm-up in flight: {id, demo}
  let loadFailed = false; // a load failed: no warm-ups until a Run retries (offline, each would fail)
  const warmed = new Set(); // "topic/framework" whose packages this worker has loaded
  let nextId = 1;
  let editorModule = null;

  function el(tag, props = {}, children = []) {
    const node = Object.assign(document.createElement(tag), props);
    for (const child of children) node.append(child);
    return node;
  }

  function loadEditor() {
    editorModule ??= import(BUNDLE_URL + "editor.js").catch((err) => {
      editorModule = null;
      throw new Error(`Failed to load ${BUNDLE_URL}editor.js: ${err.message}`);
    });
    return editorModule;
  }

  // --- the worker ---------------------------------------------------------------------------

  function ensureWorker() {
    if (worker) return worker;
    const created = new Worker(WORKER_URL, { type: "module" });
    worker = created;
    worker.onmessage = ({ data }) => {
      if (warming && data.id === warming.id) {
        // A warm-up (after Stop, focus returns to Run) never hides the outcome a demo shows.
        if (data.type === "progress") {
          if (!warming.demo.showsOutcome) warming.demo.setProgress(data.text, data.bytes);
        } else if (data.type === "warmed") {
          if ((!current || current.demo !== warming.demo) && !warming.demo.showsOutcome) warming.demo.setProgress("");
          warming = null;
          // A failed load leaves a runtime no Run should reuse: dropped now, or when the Run
          // under way (which may have joined that load) ends.
          loadFailed ||= data.failed;
          if (data.failed && current) current.dropAfter = true;
          else if (data.failed) dropWorker();
        }
        return;
      }
      if (!current || data.id !== current.id) return;
      if (data.type === "progress") {
        current.demo.setProgress(data.text, data.bytes);
        watchLoad(current, data.fetching);
      } else if (data.type === "running") {
        clearTimeout(current.stall);
        current.timer = setTimeout(() => stop(`Time limit of ${TIME_LIMIT_MS / 1000} s reached`), TIME_LIMIT_MS);
      } else finish(data);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      if (created !== worker) return; // one already dropped
      // A worker whose script failed to load or parse answers nothing more. Dropped, the next
      // Run starts a fresh one and reports its failure, instead of waiting for ever on one that
      // failed during a warm-up.
      loadFailed = true;
      dropWorker();
      finish({ type: "error", error: `The worker failed: ${event.message || `Failed to load ${WORKER_URL}`}` });
    };
    return worker;
  }

  // Run (and Send) buttons are marked busy with aria-disabled, not disabled: a disabled button loses focus
  // (to <body>), and a keyboard or screen-reader user would lose their place.
  function setBusy(busy) {
    document.querySelectorAll(".live-demo__run, .live-demo__send").forEach((b) => b.setAttribute("aria-disabled", String(busy)));
  }

  /** End the current Run with `outcome`; drop the worker if its load failed (`broken`, or a
   *  warm-up's failure while the Run was under way). */
  function finish(outcome) {
    if (!current) return;
    clearTimeout(current.timer);
    clearTimeout(current.stall);
    const { resolve, dropAfter } = current;
    current = null;
    setBusy(false);
    if (dropAfter || outcome.broken) {
      loadFailed = true;
      dropWorker();
    }
    resolve(outcome);
  }

  /** Forget the worker and what it loaded: the next Run or warm-up starts a fresh one. */
  function dropWorker() {
    if (warming && !warming.demo.showsOutcome) warming.demo.setProgress(""); // its load is gone
    if (worker) worker.terminate();
    worker = null;
    warming = null;
    warmed.clear();
  }

  /** End runaway code: terminating the worker is the only way to interrupt a busy Pyodide. */
  function stop(reason) {
    dropWorker();
    finish({ type: "stopped", reason });
  }

  /** Start loading what a Run of this demo needs, once per demo, when nothing else is loading. */
  function warm(demo) {
    const key = `${demo.topic}/${demo.framework}`;
    if (current || warming || loadFailed || warmed.has(key)) return;
    warmed.add(key);
    warming = { id: nextId++, demo };
    ensureWorker().postMessage({ type: "warm", id: warming.id, bundleUrl: BUNDLE_URL, topic: demo.topic, framework: demo.framework });
  }

  /** (Re)start the count of quiet time for a Run whose step waits on the network; any word
   *  from the load resets it, and a step on this device stops it. */
  function watchLoad(run, fetching) {
    clearTimeout(run.stall);
    if (!fetching) return;
    run.stall = setTimeout(() => {
      const quiet = `Nothing has arrived for ${STALL_MS / 1000} s: if your connection dropped, press Stop, then Run to try again`;
      run.demo.setProgress(quiet);
    }, STALL_MS);
  }

  function runInWorker(demo, payload) {
    setBusy(true);
    loadFailed = false; // a Run tries again
    warmed.add(`${demo.topic}/${demo.framework}`);
    return new Promise((resolve) => {
      current = { id: nextId++, demo, resolve, timer: null, stall: null };
      watchLoad(current, true); // the first word comes from a worker that may still be fetched
      ensureWorker().postMessage({ type: "run", id: current.id, bundleUrl: BUNDLE_URL, ...payload });
    });
  }

  // --- one demo -----------------------------------------------------------------------------

  class Demo {
    constructor(root, cases) {
      this.root = root;
      this.topic = root.dataset.topic;
      this.framework = root.dataset.framework;
      this.cases = cases.filter((c) => !c.frameworks || c.frameworks.includes(this.framework));
      this.codeBlock = snippetBlock(root, this.topic, this.framework);
      this.original = this.codeBlock.querySelector("code").textContent;
      this.editor = null;
      this.showsOutcome = false; // the progress line holds an outcome a warm-up must not replace
      this.build();
    }

    build() {
      const file = `snippets/${this.topic}/${this.framework}.py`;
      this.runButton = el("button", { type: "button", className: "md-button md-button--primary live-demo__run", textContent: "Run" });
      this.editButton = el("button", { type: "button", className: "md-button live-demo__edit", textContent: "Edit" });
      this.stopButton = el("button", { type: "button", className: "md-button live-demo__stop", textContent: "Stop", disabled: true });
      this.resetButton = el("button", { type: "button", className: "md-button live-demo__reset", textContent: "Reset", hidden: true });
      // A polite live region announces each step and the outcome once. The byte count changes
      // with every file downloaded, so it sits beside the region, not in it: shown, readable,
      // never announced.
      this.progressText = el("span");
      this.progressText.setAttribute("role", "status");
      this.progressBytes = el("span", { className: "live-demo__bytes" });
      this.progress = el("span", { className: "live-demo__progress" }, [this.progressText, this.progressBytes]);
      this.editorBox = el("div", { className: "live-demo__editor", hidden: true });
      this.caseSelect = el("select", { className: "live-demo__case" });
      this.cases.forEach((c, i) => this.caseSelect.append(el("option", { value: String(i), textContent: c.name })));
      this.caseSelect.append(el("option", { value: "custom", textContent: "Custom request" }));
      this.method = el("select", { className: "live-demo__method" });
      METHODS.forEach((m) => this.method.append(el("option", { value: m, textContent: m })));
      this.path = el("input", { type: "text", className: "live-demo__path", spellcheck: false });
      this.body = el("textarea", { className: "live-demo__body", rows: 2, spellcheck: false, placeholder: "(no body)" });
      const notes = [`Runs ${file} in your browser (Python compiled to WebAssembly, Pyodide) with the request below. ` +
        "Edit changes the code; Reset restores it."];
      if (this.root.dataset.hashing) {
        notes.push("Passwords are hashed here with a pure-Python PBKDF2-SHA256 at 1,000 iterations, a demo " +
          "setting (the browser has no threads or native hashing), where the real apps use their framework's default.");
      }
      this.panel = el("div", { className: "live-demo__panel" }, [
        el("p", { className: "live-demo__hint", textContent: notes.join(" ") }),
        this.editorBox,
        el("fieldset", { className: "live-demo__request" }, [
          el("legend", { textContent: "Request" }),
          el("label", {}, ["Example ", this.caseSelect]),
          el("label", {}, ["Method ", this.method]),
          el("label", { className: "live-demo__path-label" }, ["Path ", this.path]),
          el("label", { className: "live-demo__body-label" }, ["JSON body ", this.body]),
        ]),
      ]);
      this.status = el("p", { className: "live-demo__status" });
      this.headers = el("pre", { className: "live-demo__headers" });
      this.responseBody = el("pre", { className: "live-demo__response-body" });
      this.response = el("section", { className: "live-demo__response", hidden: true }, [
        this.status,
        el("details", {}, [el("summary", { textContent: "Headers" }), this.headers]),
        this.responseBody,
      ]);
      this.response.setAttribute("role", "region");
      this.response.setAttribute("aria-label", "Response");
      const bar = el("div", { className: "live-demo__bar" }, [this.runButton, this.editButton, this.stopButton, this.resetButton, this.progress]);
      this.root.append(bar, this.panel, this.response);

      this.runButton.addEventListener("click", () => this.run());
      for (const intent of ["pointerenter", "focus"]) this.runButton.addEventListener(intent, () => warm(this));
      this.editButton.addEventListener("click", () => this.openEditor());
      this.stopButton.addEventListener("click", () => stop("Stopped"));
      this.resetButton.addEventListener("click", () => this.editor && this.editor.set(this.original));
      this.caseSelect.addEventListener("change", () => this.showCase());
      for (const field of [this.method, this.path, this.body]) {
        field.addEventListener("input", () => (this.caseSelect.value = "custom"));
      }
      this.showCase();
      const sockets = socketsFor(this.topic).filter((c) => c.frameworks.includes(this.framework));
      if (sockets.length) this.panel.append(socketPanel(this, sockets));
    }

    showCase() {
      const c = this.cases[Number(this.caseSelect.value)];
      if (!c) return;
      const r = c.request;
      this.method.value = (r.method || "GET").toUpperCase();
      this.path.value = r.path;
      this.body.value = r.json !== undefined ? JSON.stringify(r.json) : r.body || "";
    }

    /** What to send: the selected case as the tests send it (its `before` requests first), or
     *  the request the reader typed. */
    requests() {
      const c = this.cases[Number(this.caseSelect.value)];
      if (c) return { request: c.request, before: c.before || [] };
      const request = { method: this.method.value, path: this.path.value || "/" };
      const text = this.body.value.trim();
      if (text) {
        try {
          request.json = JSON.parse(text);
        } catch {
          request.body = text;
          request.headers = { "Content-Type": "application/json" };
        }
      }
      return { request, before: [] };
    }

    /** Show a step (announced when it changes) and, while downloading, its bytes (not announced). */
    setProgress(text, bytes = "") {
      if (this.progressText.textContent !== text) this.progressText.textContent = text;
      this.progressBytes.textContent = bytes ? `: ${bytes}` : "";
    }

    /** Replace the page's copy of the code with an editor holding it (one copy on screen). */
    async openEditor() {
      if (this.editor) return;
      this.setProgress("Loading the editor…");
      let createEditor;
      try {
        ({ createEditor } = await loadEditor());
      } catch (err) {
        this.show({ type: "error", error: err.message });
        return;
      }
      this.editor = createEditor(this.editorBox, this.original, `Code of snippets/${this.topic}/${this.framework}.py`);
      if (this.codeBlock) this.codeBlock.hidden = true;
      this.editorBox.hidden = false;
      this.editButton.hidden = true;
      this.resetButton.hidden = false;
      this.setProgress("");
      this.editor.view.focus();
    }

    async run() {
      if (current) return;
      this.stopButton.disabled = false;
      this.response.dataset.state = "running";
      this.showsOutcome = false;
      if (!(warming && warming.demo === this)) this.setProgress("Starting…"); // else: its download shows
      const started = performance.now();
      const startedEpoch = performance.timeOrigin + started;
      const outcome = await runInWorker(this, {
        topic: this.topic,
        framework: this.framework,
        source: this.editor ? this.editor.get() : null, // null: the snippet file as shipped
        ...this.requests(),
      });
      this.releaseStop(this.runButton);
      this.root.dataset.lastRunMs = String(Math.round(performance.now() - started));
      if (outcome.timings) this.root.dataset.lastRunTimings = JSON.stringify(sinceClick(outcome.timings, startedEpoch));
      this.show(outcome);
    }

    /** Disable Stop once the run it stops is over; if it had focus, hand focus to `next` (the
     *  control that started the run), because a disabled Stop would drop focus to <body>. */
    releaseStop(next) {
      const hadFocus = document.activeElement === this.stopButton;
      this.stopButton.disabled = true;
      if (hadFocus) next.focus();
    }

    show(outcome) {
      this.showsOutcome = true;
      this.response.hidden = false;
      this.response.dataset.state = outcome.type;
      if (outcome.type === "result") {
        const { status, headers, body } = outcome.response;
        this.setProgress(`Response: status ${status}`);
        this.status.textContent = `Status ${status}`;
        this.headers.textContent = headers.map(([k, v]) => `${k}: ${v}`).join("\n");
        this.responseBody.textContent = body;
      } else if (outcome.type === "stopped") {
        this.setProgress(`${outcome.reason}: the Python runtime was terminated. Run starts a fresh one.`);
        this.status.textContent = `${outcome.reason}: no response`;
        this.headers.textContent = "";
        this.responseBody.textContent = "";
      } else {
        this.setProgress("Python error: no response");
        this.status.textContent = "Python error: no response";
        this.headers.textContent = "";
        this.responseBody.textContent = outcome.error;
      }
      this.response.scrollIntoView({ block: "nearest" });
    }
  }

  // --- a socket conversation -----------------------------------------------------------------

  /** Socket.IO (Flask-SocketIO) rather than a plain WebSocket, for this demo's framework. */
  function speaksSocketIO(socket, framework) {
    return Boolean(socket.socketio && socket.socketio.frameworks.includes(framework));
  }

  /** A frame of a case as the reader sees it in the message box: JSON, or the text itself. */
  function frameLine(frame) {
    return "json" in frame ? JSON.stringify(frame.json) : frame.text;
  }

  /** The socket form under a demo: one frame per line, Send opens a connection in the worker,
   *  sends them in turn and lists each frame sent and received (as text, in an aria-live list).
   *  Pre-filled from the topic's socket cases (`sockets:` in cases.yaml), sent as the tests send
   *  them until the reader edits the lines. */
  function socketPanel(demo, sockets) {
    const socketio = speaksSocketIO(sockets[0], demo.framework);
    const select = el("select", { className: "live-demo__socket-case" });
    sockets.forEach((c, i) => select.append(el("option", { value: String(i), textContent: c.name })));
    select.append(el("option", { value: "custom", textContent: "Custom messages" }));
    const where = el("code", { className: "live-demo__socket-where" });
    const lines = el("textarea", { className: "live-demo__socket-messages", rows: 3, spellcheck: false });
    const send = el("button", { type: "button", className: "md-button live-demo__send", textContent: "Send" });
    const log = el("ol", { className: "live-demo__frames" });
    log.setAttribute("aria-live", "polite");
    log.setAttribute("aria-label", "Frames sent and received");
    const show = () => {
      const c = sockets[Number(select.value)];
      if (!c) return;
      const event = socketio && c.socketio.event ? `, event "${c.socketio.event}"` : "";
      where.textContent = socketio ? `Socket.IO namespace ${c.socketio.namespace}${event}` : `WebSocket ${c.path}`;
      lines.value = c.messages.map((m) => frameLine(m.send)).join("\n");
    };
    select.addEventListener("change", show);
    lines.addEventListener("input", () => (select.value = "custom"));
    show();

    /** The conversation to hold: the selected case as written, or the reader's lines (a line
     *  goes out as typed; to Socket.IO, as JSON when it parses, else as a string). */
    const conversation = () => {
      const chosen = sockets[Number(select.value)];
      if (chosen) return chosen;
      const base = sockets[0];
      const frames = lines.value.split("\n").filter((line) => line.trim() !== "");
      const asFrame = (line) => {
        if (!socketio) return { text: line };
        try {
          return { json: JSON.parse(line) };
        } catch {
          return { text: line };
        }
      };
      return { ...base, name: "custom", messages: frames.map((line) => ({ send: asFrame(line) })) };
    };

    const entry = (direction, text) => log.append(el("li", { className: `live-demo__frame--${direction}`, textContent: text }));

    for (const intent of ["pointerenter", "focus"]) send.addEventListener(intent, () => warm(demo));
    send.addEventListener("click", async () => {
      if (current) return;
      const socket = conversation();
      log.replaceChildren();
      log.dataset.state = "running";
      demo.stopButton.disabled = false;
      demo.showsOutcome = false;
      if (!(warming && warming.demo === demo)) demo.setProgress("Starting…"); // else: its download shows
      const outcome = await runInWorker(demo, {
        topic: demo.topic, framework: demo.framework, source: demo.editor ? demo.editor.get() : null, socket,
      });
      demo.releaseStop(send);
      log.dataset.state = outcome.type;
      if (outcome.type !== "result") {
        demo.show(outcome); // the error or the stop, in the Response region as for a request
        return;
      }
      const { accepted, frames, note } = outcome.response;
      const received = (frame) => (frame.event ? `${frame.event} ${frame.text}` : frame.text);
      if (!accepted) entry("note", `Connection refused: ${note}`);
      socket.messages.forEach((m, i) => {
        if (!accepted) return;
        entry("sent", `→ ${socketio ? `${m.send.event || socket.socketio.event} ` : ""}${frameLine(m.send)}`);
        if (frames[i]) entry("received", `← ${received(frames[i])}`);
      });
      frames.slice(socket.messages.length).forEach((frame) => entry("received", `← ${received(frame)}`));
      if (accepted && note) entry("note", note);
      demo.showsOutcome = true;
      demo.setProgress(`${frames.length} frame${frames.length === 1 ? "" : "s"} received`);
    });

    return el("fieldset", { className: "live-demo__request live-demo__socket" }, [
      el("legend", { textContent: socketio ? "Socket.IO messages" : "WebSocket messages" }),
      el("label", {}, ["Example ", select]),
      where,
      el("label", { className: "live-demo__body-label" }, ["One frame per line ", lines]),
      send,
      log,
    ]);
  }

  /** The worker's timings (ms since the epoch) as ms since the click on Run: where a run's time
   *  went (scripts/live/measure.py reports them; negative: done before the click, by a warm-up). */
  function sinceClick({ steps, files, setup }, clickEpoch) {
    const relative = (ms) => Math.round(ms - clickEpoch);
    return {
      setup,
      steps: Object.fromEntries(Object.entries(steps).map(([step, ms]) => [step, relative(ms)])),
      files: files.map(([name, ms]) => [name, relative(ms)]),
    };
  }

  /** The snippet's code block on the page: the one titled with its file name. */
  function snippetBlock(root, topic, framework) {
    const file = `snippets/${topic}/${framework}.py`;
    const block = root.closest(".tabbed-block") || root.parentElement;
    for (const highlight of block.querySelectorAll(".highlight")) {
      const title = highlight.querySelector(".filename");
      if (title && title.textContent.trim() === file) return highlight;
    }
    return block.querySelector(".highlight");
  }

  function casesFor(topic) {
    const script = document.querySelector(`script.topic-cases[data-topic="${topic}"]`);
    return script ? JSON.parse(script.textContent) : [];
  }

  function socketsFor(topic) {
    const script = document.querySelector(`script.topic-sockets[data-topic="${topic}"]`);
    return script ? JSON.parse(script.textContent) : [];
  }

  /** After the reader's own first scroll, a demo scrolled into view warms up. Never on load:
   *  the browser scrolls by itself to a #fragment (a search result, a link to the examples)
   *  and to the position it restores on reload or Back, so only a wheel, a swipe or a key
   *  counts, not the scroll event. */
  function warmOnScroll(demos) {
    if (!("IntersectionObserver" in window)) return;
    const observer = new IntersectionObserver((entries) => {
      for (const entry of entries) {
        if (entry.isIntersecting) warm(demos.get(entry.target));
      }
    });
    const READER_SCROLLS = ["wheel", "touchmove", "keydown"];
    const start = () => {
      READER_SCROLLS.forEach((type) => removeEventListener(type, start));
      demos.forEach((_, root) => observer.observe(root));
    };
    READER_SCROLLS.forEach((type) => addEventListener(type, start, { passive: true }));
  }

  function init() {
    const demos = new Map();
    for (const root of document.querySelectorAll(".live-demo:not([data-unsupported])")) {
      if (!root.dataset.ready) {
        root.dataset.ready = "true";
        try {
          demos.set(root, new Demo(root, casesFor(root.dataset.topic)));
        } catch (err) {
          // One broken demo (its code block missing, say) must not leave the ones after it
          // without controls; it says so in place, as text.
          root.append(el("p", { textContent: `This demo could not start: ${err.message}` }));
        }
      }
    }
    warmOnScroll(demos);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
