// Live-demo worker (a module worker: Pyodide 314 supports no classic ones): runs Python (Pyodide) off the page's main thread, so a slow or endless
// snippet never freezes the page; live.js terminates this worker to stop it.
//
// Messages in:  {type: "run", id, bundleUrl, topic, framework, source, request, before}
// Messages out: {type: "progress", id, text}   what is loading or running
//               {type: "running", id}          Python has started on the request (time limit starts)
//               {type: "result", id, response} | {type: "error", id, error}

let runtime = null; // a promise of {pyodide, runner}, made on the first run and reused

// Pyodide fetches its files itself and may only say "Program terminated": wrapping fetch
// records which file failed, and every error the reader sees names it.
let failedLoads = [];
const realFetch = self.fetch.bind(self);
self.fetch = async (input, init) => {
  const url = input instanceof Request ? input.url : String(input);
  let response;
  try {
    response = await realFetch(input, init);
  } catch (err) {
    failedLoads.push(`Failed to load ${url}: ${err.message}`);
    throw new Error(failedLoads.at(-1));
  }
  if (!response.ok) {
    failedLoads.push(`Failed to load ${url}: HTTP ${response.status}`);
    throw new Error(failedLoads.at(-1));
  }
  return response;
};

function withFailedLoads(error) {
  return failedLoads.length ? `${failedLoads.join("\n")}\n\n${error}` : error;
}

function progress(id, text) {
  self.postMessage({ type: "progress", id, text });
}

async function loadRuntime(id, bundleUrl) {
  progress(id, "Loading the Python runtime (Pyodide)…");
  let loadPyodide;
  try {
    ({ loadPyodide } = await import(bundleUrl + "pyodide.mjs"));
  } catch (err) {
    throw new Error(`Failed to load ${bundleUrl}pyodide.mjs: ${err.message}`);
  }
  const pyodide = await loadPyodide({
    indexURL: bundleUrl,
    lockFileURL: bundleUrl + "pyodide-lock.json",
    packageBaseUrl: bundleUrl,
  });
  progress(id, "Loading the snippets…");
  const code = await fetch(bundleUrl + "python.zip").then((r) => r.arrayBuffer());
  pyodide.unpackArchive(code, "zip", { extractDir: "/home/pyodide" });
  pyodide.runPython("import sys; sys.path.insert(0, '/home/pyodide')");
  const runner = pyodide.pyimport("live_runner");
  return { pyodide, runner };
}

/** The topic's other files this snippet may import (its own helpers and shared files), so their
 *  imports get loaded too; the other frameworks' files are left out. */
function helperCode(pyodide, topic, framework) {
  const dir = `/home/pyodide/snippets/${topic}`;
  const others = ["fastapi", "django", "flask"].filter((f) => f !== framework);
  return pyodide.FS.readdir(dir)
    .filter((f) => f.endsWith(".py") && f !== `${framework}.py` && !others.some((o) => f.startsWith(o)))
    .map((f) => pyodide.FS.readFile(`${dir}/${f}`, { encoding: "utf8" }))
    .join("\n");
}

async function run(message) {
  const { id, bundleUrl, topic, framework, source, request, before } = message;
  if (!runtime) runtime = loadRuntime(id, bundleUrl);
  let loaded;
  try {
    loaded = await runtime;
  } catch (err) {
    runtime = null; // let the next Run try again
    throw err;
  }
  const { pyodide, runner } = loaded;
  progress(id, `Loading ${framework} and the snippet's imports…`);
  const imports = [runner.required_imports(framework), source, helperCode(pyodide, topic, framework)];
  await pyodide.loadPackagesFromImports(imports.join("\n"), {
    messageCallback: (text) => progress(id, text),
    errorCallback: (text) => progress(id, text),
  });
  progress(id, `Setting up ${framework}…`);
  await runner.prepare.callPromising(framework);
  progress(id, "Running the request…");
  self.postMessage({ type: "running", id });
  const payload = JSON.stringify({ topic, framework, source, request, before });
  // callPromising: stack switching (JSPI), so Python can block on async code with run_sync.
  return JSON.parse(await runner.run_job.callPromising(payload));
}

self.onmessage = async (event) => {
  const message = event.data;
  if (message.type !== "run") return;
  failedLoads = [];
  try {
    const outcome = await run(message);
    if (outcome.error) self.postMessage({ type: "error", id: message.id, error: withFailedLoads(outcome.error) });
    else self.postMessage({ type: "result", id: message.id, response: outcome.response });
  } catch (err) {
    const error = withFailedLoads(String(err && err.message ? err.message : err));
    self.postMessage({ type: "error", id: message.id, error });
  }
};
