"""Uploaded files that hold tenant data (MDF proof, content assets): checked by content, stored outside the
web root under generated names, and served only as attachments by views that authorise the reader."""
