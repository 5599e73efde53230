"""The anchor of bench/plan_page.py: a Django view that answers "hello"."""

from django.http import HttpResponse
from django.urls import path


def hello(request):
    return HttpResponse("hello", content_type="text/plain")


urlpatterns = [path("hello/", hello)]
