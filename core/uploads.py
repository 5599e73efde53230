"""An upload handler that stops reading a request once its file is over the largest limit.

Django's own handlers read the whole body before a form can say the file is too big: a
200 MB anonymous upload was read (to a temporary file) before being refused. This one
runs first and stops the parser as soon as the Content-Length, or the bytes of a file
so far, pass settings.UPLOAD_MAX_BYTES; the view then shows the Swedish message.
"""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.utils.translation import gettext as _

# Room for the form's other fields and the multipart boundaries around the file.
_ENVELOPE = 64 * 1024


class SizeLimitedUploadHandler(FileUploadHandler):
    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.request_length = content_length or 0

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        if self.request_length > settings.UPLOAD_MAX_BYTES + _ENVELOPE:
            self._stop()

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > settings.UPLOAD_MAX_BYTES:
            self._stop()
        return raw_data

    def file_complete(self, file_size):
        return None

    def _stop(self):
        self.request.upload_too_large = True
        # connection_reset: the rest of the body is not read (Django would otherwise read
        # it to the end to discard it); the fields before the file, the CSRF token among
        # them, are kept.
        raise StopUpload(connection_reset=True)


def refuse_too_large(request, form, field: str = "file", message: str | None = None) -> None:
    """Give the form the size message in place of 'no file' when the upload was cut off."""
    if getattr(request, "upload_too_large", False):
        form.is_valid()
        form.errors[field] = form.error_class([message or _("Filen är större än 10 MB.")])
        form.cleaned_data.pop(field, None)
