from django.urls import path, register_converter

from pricing import api, views

app_name = "pricing"


class ExportFormat:
    regex = "csv|xlsx|ods|json"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(ExportFormat, "fmt")

urlpatterns = [
    path("", views.section, name="section"),
    path("ny/", views.price_list_create, name="price_list_create"),
    path("mall.xlsx", views.template, name="template"),
    path("mall.ods", views.template, {"fmt": "ods"}, name="template_ods"),
    path("jamfor/", views.compare, name="compare"),
    path("api/openapi.json", api.schema, name="api_schema"),
    path("api/v1/<int:year>/<str:scb>/prisrader", api.submit, name="api_submit"),
    path("api-nycklar/<str:scb>/", views.api_tokens, name="api_tokens"),
    path("<int:year>/", views.price_list_detail, name="price_list"),
    path("<int:year>/prislista.<fmt:fmt>", views.export, name="export"),
    path("<int:year>/status/", views.transition, name="transition"),
    path("<int:year>/sammanstall/", views.compile_documents, name="compile"),
    path("<int:year>/rakna-upp/", views.uprate, name="uprate"),
    path("<int:year>/<str:scb>/", views.region_lines, name="region_lines"),
    path("<int:year>/<str:scb>/ladda-upp/", views.upload, name="upload"),
    path("<int:year>/<str:scb>/inlamning/<int:pk>/", views.submission_detail, name="submission"),
]
