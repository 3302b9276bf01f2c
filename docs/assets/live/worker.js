// Live-demo worker (a module worker: Pyodide 314 supports no classic ones): runs Python (Pyodide)
// off the page's main thread, so a slow or endless snippet never freezes the page; live.js
// terminates this worker to stop it.
//
// It needs no JavaScript Promise Integration (JSPI): the runner's entry point is async and is
// awaited here, and every package a snippet imports is loaded before it runs (live/packages.json,
// computed at build time), so Python never has to block on JavaScript.
//
// Messages in:  {type: "warm", id, bundleUrl, topic, framework}   load what a Run will need
//               {type: "run", id, bundleUrl, topic, framework, source, request, before}
//               {type: "run", id, bundleUrl, topic, framework, source, socket}   a conversation
// Messages out: {type: "progress", id, text, bytes, fetching}   what is loading or running; bytes
//                                              (shown, not announced): "3.2 of 9.6 MB" while
//                                              downloading; fetching: the step waits on the network
//               {type: "running", id}          Python has started on the request (time limit starts)
//               {type: "warmed", id, failed}   a warm-up finished, or failed (the Run will say)
//               {type: "result", id, response, timings} | {type: "error", id, error, timings, broken}
//                                              broken: loading failed, this worker is done
// timings: when each step of loading and running ended, and when each file finished downloading,
// in ms since the epoch (the page and the worker have different clocks): what a cold start spends
// its time on (live.js makes them relative to the click; scripts/live/measure.py reports them).

import { extractStoredZip, leavesDirectory } from "./stored_zip.js";

let runtime = null; // a promise of {pyodide, runner, manifest}, made once and reused
let runnerModule = null; // live_runner, for its SETUP_SECONDS
const ready = new Map(); // "topic/framework" -> promise of its packages loaded and framework set up
const installed = new Set(); // packages installed by installWheels
const CODE_DIR = "/home/pyodide"; // python.zip's files: the runner, the snippets, the demo project
const reportTo = new Map(); // "topic/framework" -> the latest warm-up or Run waiting on it (its id)
let downloading = false; // byte counts are reported only while a load's files come down
const settled = new Set(); // "topic/framework" whose packages are loaded and framework set up
let fetched = 0; // bytes received so far (decoded), for the progress line
let expected = 0;
const marks = {}; // step -> when it first ended (ms since the epoch)
const epochMs = (workerMs) => Math.round(performance.timeOrigin + workerMs);

function mark(step) {
  marks[step] ??= epochMs(performance.now());
}

/** The steps so far, and each file fetched with the time its download ended. */
function timings() {
  const files = performance.getEntriesByType("resource").map((e) => [e.name.split("/").at(-1), epochMs(e.responseEnd)]);
  return { steps: { ...marks }, files, setup: setupSeconds() };
}

/** The runner's SETUP_SECONDS (Python's own steps of a framework's setup) as a plain object. */
function setupSeconds() {
  if (!runnerModule) return {};
  const proxy = runnerModule.SETUP_SECONDS;
  try {
    return proxy.toJs({ dict_converter: Object.fromEntries });
  } finally {
    proxy.destroy();
  }
}

// Pyodide fetches its files itself and may only say "Program terminated": wrapping fetch
// records which file failed, and every error the reader sees names it. The response itself is
// passed on untouched: piping each body through a counting stream ran every chunk through this
// thread, which is busy running Python for most of a cold start (0.1-0.17 s of it in a trace).
const failedLoads = [];
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

// Bytes received (decoded) are counted from the browser's record of each finished download
// (Resource Timing), off this thread's busy path: the progress line moves file by file. An
// engine without it in workers shows the steps without byte counts.
try {
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) fetched += entry.decodedBodySize || 0;
    showBytes();
  }).observe({ type: "resource", buffered: true });
} catch {
  // no byte counts
}

const MB = (n) => (n / 1e6).toFixed(1);
/** Bytes so far, to `ids`: by default every warm-up or Run still waiting for its snippet's
 *  load (a download may serve several: the runtime is shared), never one already running. */
function showBytes(ids = waitingIds()) {
  if (!downloading) return;
  const total = expected > fetched ? ` of ${MB(expected)}` : "";
  for (const id of ids) progress(id, "Downloading Python and the snippet's packages", `${MB(fetched)}${total} MB`);
}

function waitingIds() {
  return [...ready.keys()].filter((key) => !settled.has(key) && reportTo.has(key)).map((key) => reportTo.get(key));
}

function withFailedLoads(error) {
  return failedLoads.length ? `${failedLoads.join("\n")}\n\n${error}` : error;
}

function progress(id, text, bytes = "", fetching = Boolean(bytes)) {
  self.postMessage({ type: "progress", id, text, bytes, fetching });
}

/** The bundle's packages.json: each snippet's package set and its bytes, and each wheel's
 *  file, hash and WebAssembly libraries. */
async function loadManifest(bundleUrl) {
  const response = await fetch(bundleUrl + "packages.json");
  try {
    return await response.json();
  } catch (err) {
    throw new Error(`${bundleUrl}packages.json is not JSON (${err.message})`);
  }
}

/** A package's wheel in packages.json, checked: a stale or damaged file is named, not met
 *  later as "undefined". A library must be a path inside the wheel: it is loaded from
 *  site-packages. */
function wheelOf(manifest, bundleUrl, name) {
  const wheel = manifest.wheel_files?.[name];
  const where = `${bundleUrl}packages.json`;
  if (!wheel || typeof wheel.file !== "string" || !Array.isArray(wheel.libraries)) {
    throw new Error(`${where}: no usable wheel_files entry for ${name} (a stale copy of the file?)`);
  }
  for (const library of wheel.libraries) {
    if (typeof library !== "string" || leavesDirectory(library)) {
      throw new Error(`${where}: ${name}'s library ${library} is not a path inside its wheel`);
    }
  }
  return wheel;
}

/** Download wheels (checked against the lockfile's hashes), to install from here.
 *  The caller awaits the promise after other work: a failure is reported then, not before. */
function fetchWheels(manifest, bundleUrl, names) {
  const downloads = Promise.all(
    names.map(async (name) => {
      const wheel = wheelOf(manifest, bundleUrl, name);
      const response = await fetch(bundleUrl + wheel.file, { integrity: wheel.integrity });
      return [wheel, new Uint8Array(await response.arrayBuffer())];
    }),
  );
  downloads.catch(() => {}); // handled where awaited; this keeps it from counting as unhandled
  return downloads;
}

/** Write downloaded wheels into site-packages (stored_zip.js says why not loadPackage), then
 *  load their WebAssembly libraries (pydantic-core's) with Pyodide's own loader, the call its
 *  loadPackage makes for each library of a package it unpacked. Pyodide's loadPackage would
 *  unpack the wheel with Python's zipfile first: 0.2-0.4 s of a cold FastAPI Run in headless
 *  Chromium, against about 0.1 s this way (scripts/live/measure.py). */
async function installWheels(pyodide, wheels) {
  const sitePackages = pyodide.runPython("import sysconfig; sysconfig.get_path('purelib')");
  for (const [wheel, bytes] of wheels) extractStoredZip(pyodide.FS, bytes, sitePackages, wheel.file);
  const libraries = wheels.flatMap(([wheel]) => wheel.libraries);
  if (libraries.length && typeof pyodide._api?.loadDynlib !== "function") {
    throw new Error(`Cannot load ${libraries[0]}: this Pyodide has no loadDynlib (bundle.yaml pins the version this worker was written for)`);
  }
  for (const library of libraries) await pyodide._api.loadDynlib(`${sitePackages}/${library}`);
  pyodide.runPython("import importlib; importlib.invalidate_caches()");
}

/** Start Pyodide and install the first snippet's packages: its wheels download while the
 *  runtime compiles and Python starts, instead of after (everything a cold start fetches is in
 *  flight at once). The runner and the snippets (python.zip) come down meanwhile too. */
async function loadRuntime(bundleUrl, key) {
  installed.clear(); // a new runtime has none
  const manifestPromise = loadManifest(bundleUrl);
  const codePromise = fetch(bundleUrl + "python.zip").then((r) => r.arrayBuffer());
  let loadPyodide;
  try {
    ({ loadPyodide } = await import(bundleUrl + "pyodide.mjs"));
  } catch (err) {
    throw new Error(`Failed to load ${bundleUrl}pyodide.mjs: ${err.message}`);
  }
  mark("pyodide.mjs imported");
  const manifest = await manifestPromise;
  const entry = packagesOf(manifest, bundleUrl, key);
  expected = manifest.core_bytes + entry.bytes;
  const wheels = fetchWheels(manifest, bundleUrl, entry.packages);
  const pyodide = await loadPyodide({
    indexURL: bundleUrl,
    lockFileURL: bundleUrl + "pyodide-lock.json",
    packageBaseUrl: bundleUrl,
    // Pydantic looks for plugins on its first model by reading every installed distribution's
    // metadata (the stdlib zip's too): 0.2-0.5 s of FastAPI's import here. The bundle has none
    // (the site build checks: verified_guide/live/mkdocs_hook.py), so skipping the search
    // changes nothing but the time.
    env: { PYDANTIC_DISABLE_PLUGINS: "__all__" },
  });
  mark("runtime started");
  await installWheels(pyodide, await wheels);
  entry.packages.forEach((name) => installed.add(name));
  mark("wheels installed");
  extractStoredZip(pyodide.FS, new Uint8Array(await codePromise), CODE_DIR, "python.zip");
  pyodide.runPython(`import sys; sys.path.insert(0, "${CODE_DIR}")`);
  const runner = pyodide.pyimport("live_runner");
  runnerModule = runner;
  mark("runner imported");
  return { pyodide, runner, manifest };
}

function packagesOf(manifest, bundleUrl, key) {
  const entry = manifest.snippets[key];
  if (!entry) throw new Error(`No package set for ${key} in ${bundleUrl}packages.json`);
  return entry;
}

/** Load the snippet's packages and set its framework up, once per snippet and runtime. */
function prepare(bundleUrl, topic, framework) {
  const key = `${topic}/${framework}`;
  if (!runtime) downloading = true;
  runtime ??= loadRuntime(bundleUrl, key);
  if (!ready.has(key)) {
    const promise = (async () => {
      const { pyodide, runner, manifest } = await runtime;
      const entry = packagesOf(manifest, bundleUrl, key);
      const wheels = entry.packages.filter((name) => !installed.has(name));
      if (wheels.length) {
        downloading = true;
        expected = Math.max(expected, fetched) + entry.bytes;
        await installWheels(pyodide, await fetchWheels(manifest, bundleUrl, wheels));
        wheels.forEach((name) => installed.add(name));
      }
      mark(`${key} packages loaded`);
      downloading = false; // a download notice still queued would take the line back a step
      progress(reportTo.get(key), `Setting up ${framework}…`);
      runner.prepare(framework);
      mark(`${framework} set up`);
      settled.add(key);
      return { pyodide, runner };
    })();
    promise.catch(() => {
      downloading = false;
      ready.delete(key); // let the next Run try again
      if (ready.size === 0) runtime = null;
    });
    ready.set(key, promise);
  }
  return ready.get(key);
}

async function run(message) {
  const { id, bundleUrl, topic, framework, source, request, before, socket } = message;
  // Joining its own warm-up's download, a Run shows the download (on the demo that warmed up,
  // the step it already shows, so nothing is announced again); set up already, it goes on.
  const key = `${topic}/${framework}`;
  if (!runtime) progress(id, "Loading the Python runtime (Pyodide)…", "", true);
  else if (ready.has(key) && !settled.has(key)) showBytes([id]);
  const { runner } = await prepare(bundleUrl, topic, framework);
  progress(id, "Running the request…");
  self.postMessage({ type: "running", id });
  const payload = JSON.stringify({ topic, framework, source, request, before, socket });
  const outcome = JSON.parse(await runner.run_job(payload));
  mark(`${topic}/${framework} first answer`);
  return outcome;
}

self.onmessage = async (event) => {
  const message = event.data;
  const key = `${message.topic}/${message.framework}`;
  reportTo.set(key, message.id);
  if (message.type === "warm") {
    let failed = false;
    try {
      await prepare(message.bundleUrl, message.topic, message.framework);
    } catch {
      failed = true; // live.js starts a fresh worker, whose Run reports the failure, naming the file
    }
    self.postMessage({ type: "warmed", id: message.id, failed });
    return;
  }
  if (message.type !== "run") return;
  // A Run that joins its own snippet's load in flight, or the runtime's first load, reports
  // that load's failures; any other starts with none.
  const joins = ready.has(key) ? !settled.has(key) : Boolean(runtime) && settled.size === 0;
  if (!joins) failedLoads.length = 0;
  try {
    const outcome = await run(message);
    if (outcome.error) self.postMessage({ type: "error", id: message.id, error: withFailedLoads(outcome.error), timings: timings() });
    else self.postMessage({ type: "result", id: message.id, response: outcome.response, timings: timings() });
  } catch (err) {
    // Thrown, not returned by the runner: loading failed, and a runtime that failed to load is
    // not reused (live.js starts a fresh worker for the next Run).
    const error = withFailedLoads(String(err && err.message ? err.message : err));
    self.postMessage({ type: "error", id: message.id, error, timings: timings(), broken: true });
  }
};
