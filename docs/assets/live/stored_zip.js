// Unpack a stored (uncompressed) zip into Pyodide's file system from JavaScript: the pure-Python
// wheels a snippet needs, and python.zip (the runner, the snippets, the Django demo project).
//
// Pyodide's loadPackage and unpackArchive unpack with Python's zipfile, file by file, in Python
// compiled to WebAssembly: about 0.4 s for Django's 1,054 files on this site's test machine,
// against 0.1 s here. The site's archives are written stored (the wheels by
// verified_guide/live/bytecode.py, python.zip by verified_guide/live/mkdocs_hook.py; hosts serve
// their precompressed copies), so unpacking one is reading its central directory and copying
// each file's bytes out. A compiled wheel (pydantic-core) is unpacked the same way; the worker
// then loads its WebAssembly libraries. An archive this cannot unpack (a compressed or Zip64
// entry, a path that leaves the directory) is an error naming the archive and the entry; the
// site build checks the bundle's wheels the same way, so a reader never meets it.

const END_OF_DIRECTORY = 0x06054b50;
const DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;
const STORED = 0;
const ZIP64_MARK = 0xffffffff;
const ZIP64_LOCATOR = 0x07064b50;

/** Whether a path from an archive (or a manifest) would point outside the directory it is
 *  joined to: absolute, with a backslash, or climbing with "..". */
export function leavesDirectory(name) {
  return name.startsWith("/") || name.includes("\\") || name.split("/").includes("..");
}

/** Each file of a stored zip: [name, bytes], the bytes a view into `bytes` (nothing copied). */
export function* storedEntries(bytes, label) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = bytes.length - 22; // the end record is 22 bytes, then a comment of up to 64 KiB
  const lowest = Math.max(0, end - 0xffff);
  while (end >= lowest && view.getUint32(end, true) !== END_OF_DIRECTORY) end--;
  if (end < lowest) throw new Error(`${label}: not a zip archive (no end of central directory)`);
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  // Zip64 marks the end record (a count of 0xFFFF, an offset or size of 0xFFFFFFFF) and puts a
  // locator before it: read as a plain zip, such an archive would lose entries without a word.
  const zip64 = count === 0xffff || at === ZIP64_MARK || view.getUint32(end + 12, true) === ZIP64_MARK
    || (end >= 20 && view.getUint32(end - 20, true) === ZIP64_LOCATOR);
  if (zip64) throw new Error(`${label}: Zip64 archives are not supported`);
  const names = new TextDecoder("utf-8", { fatal: true });
  for (let i = 0; i < count; i++) {
    if (at + 46 > end || view.getUint32(at, true) !== DIRECTORY_ENTRY) {
      throw new Error(`${label}: damaged central directory`);
    }
    const method = view.getUint16(at + 10, true);
    const size = view.getUint32(at + 20, true);
    const unpacked = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const skip = nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    const local = view.getUint32(at + 42, true);
    let name;
    try {
      name = names.decode(bytes.subarray(at + 46, at + 46 + nameLength));
    } catch {
      throw new Error(`${label}: an entry's name is not UTF-8`);
    }
    at += 46 + skip;
    if (method !== STORED || size !== unpacked) {
      throw new Error(`${label}: ${name} is compressed; the site's archives are stored`);
    }
    if (size === ZIP64_MARK || local === ZIP64_MARK) throw new Error(`${label}: ${name} needs Zip64`);
    if (leavesDirectory(name)) {
      throw new Error(`${label}: ${name} would be written outside the directory it unpacks into`);
    }
    if (name.replace(/\/$/, "").split("/").some((part) => part === "" || part === ".")) {
      throw new Error(`${label}: entry ${JSON.stringify(name)} has an empty or "." path segment`);
    }
    if (local + 30 > bytes.length || view.getUint32(local, true) !== LOCAL_HEADER) {
      throw new Error(`${label}: ${name}: damaged local header`);
    }
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    if (start + size > bytes.length) throw new Error(`${label}: ${name} runs past the archive's end`);
    yield [name, bytes.subarray(start, start + size)];
  }
}

/** Write every file of the archive under `directory`; the number of files written. An entry
 *  that names a file twice, a file where a directory is, or a directory inside a file is an
 *  error naming it (the file system's own error would name neither the archive nor the entry). */
export function extractStoredZip(FS, bytes, directory, label) {
  const kinds = new Map(); // each path the archive has named so far: "file" or "dir"
  const made = new Set();
  let files = 0;
  for (const [name, data] of storedEntries(bytes, label)) {
    const isDirectory = name.endsWith("/");
    const parts = name.replace(/\/$/, "").split("/");
    for (let depth = 1; depth < parts.length; depth++) {
      const above = parts.slice(0, depth).join("/");
      if (kinds.get(above) === "file") throw new Error(`${label}: ${name} is inside ${above}, a file`);
      kinds.set(above, "dir");
    }
    const own = parts.join("/");
    const known = kinds.get(own);
    if (known === "file" || (known === "dir" && !isDirectory)) {
      throw new Error(`${label}: ${name} is named twice, or as a file and a directory`);
    }
    kinds.set(own, isDirectory ? "dir" : "file");
    const path = `${directory}/${name}`;
    const parent = isDirectory ? path : path.slice(0, path.lastIndexOf("/"));
    if (!made.has(parent)) {
      FS.mkdirTree(parent);
      made.add(parent);
    }
    if (isDirectory) continue;
    FS.writeFile(path, data);
    files++;
  }
  return files;
}
