from flask import Flask, abort, request
from werkzeug.exceptions import HTTPException

from snippets.uploads.storage import MAX_BYTES, SAFE_NAME, Rejected, check_type, save

app = Flask(__name__)
app.config["MAX_CONTENT_LENGTH"] = MAX_BYTES  # over it: 413 when the form is read
app.config["MAX_FORM_PARTS"] = 10  # parts of a multipart body (Werkzeug's default is 1000)


@app.errorhandler(HTTPException)
def as_json(error: HTTPException) -> tuple[dict[str, str | None], int]:
    return {"detail": error.description}, error.code or 500


@app.post("/files")
def upload() -> tuple[dict[str, object], int]:
    files = request.files.getlist("file")
    if len(files) != 1 or len(request.files) > 1 or request.form:  # one part, the file
        abort(400, "send one file, in a multipart field named file")
    file = files[0]
    name = file.filename or ""
    if not SAFE_NAME.fullmatch(name):  # no folders, no "..", nothing hidden, no "-rf"
        abort(400, "the filename must be a plain name like notes.txt")
    try:
        suffix = check_type(name, file.mimetype)
        stored = save(iter(lambda: file.stream.read(64 * 1024), b""), suffix)
    except Rejected as error:
        abort(error.status, error.detail)
    return {"filename": name, **stored}, 201
