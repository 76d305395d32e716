"""API routes of the MDF app under /api/v1/."""

from django.urls import path

from .roi import RoiView

urlpatterns = [
    path("mdf/roi/", RoiView.as_view(), name="mdf-roi"),
]
