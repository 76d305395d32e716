"""Serving a stored private file: always as an attachment, with its checked type and `nosniff`."""

from django.http import FileResponse


def attachment_response(field_file, *, filename: str, content_type: str) -> FileResponse:
    """A download of `field_file` (a FieldFile) named `filename`; the view has authorised the reader."""
    response = FileResponse(field_file.open("rb"), as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
