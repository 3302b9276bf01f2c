from typing import IO, Any

from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from snippets.uploads.storage import MAX_BYTES, SAFE_NAME, Rejected, check_type, save


class TooLarge(Exception):
    """Raised from the upload handler, mid-stream, when the body passes MAX_BYTES."""


class SizeLimitHandler(FileUploadHandler):
    """First in the chain: sees every chunk before Django keeps it in memory or on disk."""

    def handle_raw_input(
        self,
        input_data: IO[bytes],
        META: dict[str, Any],
        content_length: int,
        boundary: str,
        encoding: str | None = None,
    ) -> None:
        if content_length > MAX_BYTES:  # declared too large: refuse before reading
            raise TooLarge
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > MAX_BYTES:  # a body larger than it declared
            raise TooLarge
        return raw_data  # passed on to the memory or temp-file handler

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler builds the file


def error(status: int, detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=status)


@csrf_exempt  # no cookie login here, so CSRF has nothing to protect (see the page)
@require_POST
def upload(request: HttpRequest) -> JsonResponse:
    request.upload_handlers.insert(0, SizeLimitHandler(request))
    try:
        files = request.FILES.getlist("file")  # the body is parsed (and streamed) here
    except TooLarge:
        return error(413, "the upload is larger than the limit")
    if len(files) != 1 or len(request.FILES) > 1 or request.POST:  # one part, the file
        return error(400, "send one file, in a multipart field named file")
    file = files[0]
    # Django has already dropped any folder part of the client's name; the rest is checked.
    name = file.name or ""
    if not SAFE_NAME.fullmatch(name):
        return error(400, "the filename must be a plain name like notes.txt")
    try:
        suffix = check_type(name, file.content_type or "")
        stored = save(file.chunks(), suffix)
    except Rejected as rejected:
        return error(rejected.status, rejected.detail)
    return JsonResponse({"filename": name, **stored}, status=201)


urlpatterns = [path("files", upload)]
