"""The upload handler stops reading a request once its file is over the limit."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.handlers.wsgi import WSGIRequest
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

from core import uploads

ELEVEN_MB = 11 * 1024 * 1024


class CountingStream(io.BytesIO):
    """A request body that remembers how much of it was read."""

    def __init__(self, data):
        super().__init__(data)
        self.bytes_read = 0

    def read(self, size=-1):
        chunk = super().read(size)
        self.bytes_read += len(chunk)
        return chunk

    def readline(self, size=-1):
        line = super().readline(size)
        self.bytes_read += len(line)
        return line


def _request(body: bytes, content_length: int | None = None) -> tuple[WSGIRequest, CountingStream]:
    stream = CountingStream(body)
    request = WSGIRequest(
        {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": "/",
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "80",
            "wsgi.url_scheme": "http",
            "wsgi.input": stream,
            "CONTENT_TYPE": MULTIPART_CONTENT,
            "CONTENT_LENGTH": str(len(body) if content_length is None else content_length),
        }
    )
    return request, stream


def _body(size: int) -> bytes:
    return encode_multipart(
        BOUNDARY,
        {"csrfmiddlewaretoken": "token", "file": SimpleUploadedFile("priser.csv", b"x" * size)},
    )


def test_a_body_larger_than_the_limit_is_not_read_past_the_start_of_the_file():
    body = _body(ELEVEN_MB)
    request, stream = _request(body)
    assert "file" not in request.FILES
    assert request.upload_too_large
    assert request.POST["csrfmiddlewaretoken"] == "token"
    assert stream.bytes_read < 1024 * 1024 < len(body)


def test_a_file_over_the_limit_is_cut_off_even_when_the_content_length_is_not_known_upfront():
    # The declared length is small enough to pass the first check; the file's own bytes
    # are counted as they come, and reading stops just past the limit.
    body = _body(ELEVEN_MB)
    request, stream = _request(body)
    handler = uploads.SizeLimitedUploadHandler(request)
    handler.handle_raw_input(stream, request.META, 5 * 1024 * 1024, BOUNDARY)
    handler.new_file("file", "priser.csv", "text/csv", None)
    with pytest.raises(uploads.StopUpload):
        handler.receive_data_chunk(b"x" * (64 * 1024), 10 * 1024 * 1024 - 1024)
    assert request.upload_too_large


def test_a_file_under_the_limit_is_read_whole():
    request, stream = _request(_body(1024 * 1024))
    assert request.FILES["file"].size == 1024 * 1024
    assert not getattr(request, "upload_too_large", False)
