from typing import Annotated

from fastapi import FastAPI, File, HTTPException, UploadFile

from snippets.uploads.storage import MAX_BYTES, SAFE_NAME, Rejected, check_type, save

app = FastAPI()


@app.post(
    "/files",
    status_code=201,
    max_body_size=MAX_BYTES,  # over it: 413 before the form is parsed
    form_limits={"max_files": 1, "max_fields": 0},
)
def upload(file: Annotated[UploadFile, File()]) -> dict[str, object]:
    # `def`, not `async def`: the copy below is blocking file I/O, so it runs in a thread.
    name = file.filename or ""
    if not SAFE_NAME.fullmatch(name):  # no folders, no "..", nothing hidden
        raise HTTPException(400, "the filename must be a plain name like notes.txt")
    try:
        suffix = check_type(name, file.content_type or "")
        stored = save(iter(lambda: file.file.read(64 * 1024), b""), suffix)
    except Rejected as error:
        raise HTTPException(error.status, error.detail) from None
    return {"filename": name, **stored}
