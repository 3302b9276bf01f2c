// Compile the bundle's Python to bytecode with the bundle's own Pyodide (so the bytecode is the
// runtime's version): node compile_bytecode.mjs PYODIDE_DIR BUNDLE_DIR FILE...
// The work is verified_guide/live/bytecode.py, run inside Pyodide on the bundle directory mounted
// from the host (NODEFS); build_bundle.py calls this after the wheels are downloaded, with
// bundle.yaml's keep_source patterns as JSON in KEEP_SOURCE.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const [pyodideDir, bundleDir, ...files] = process.argv.slice(2);
const { loadPyodide } = await import(join(pyodideDir, "pyodide.mjs"));
const pyodide = await loadPyodide({ indexURL: pyodideDir + "/" });
pyodide.FS.mkdirTree("/bundle");
pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: bundleDir }, "/bundle");
const here = dirname(fileURLToPath(import.meta.url));
const module = pyodide.runPython(readFileSync(join(here, "bytecode.py"), "utf8") + "\ncompile_bundle");
const keep = JSON.parse(process.env.KEEP_SOURCE || "[]");
console.log(module("/bundle", pyodide.toPy(files), pyodide.toPy(keep)));
