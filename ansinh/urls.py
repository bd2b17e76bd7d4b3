"""The site's routes. Every view below declares itself scoped or public (see ansinh.access.routes)."""

from django.urls import include, path
from django.views.i18n import set_language

from ansinh.access.routes import public
from ansinh.api.urls import api

urlpatterns = [
    path("i18n/setlang/", public(set_language), name="set_language"),
    path("api/v1/", api.urls),
    path("audit/", include("ansinh.audit.urls")),
    path("jobs/", include("ansinh.jobs.urls")),
    path("geo/", include("ansinh.geo.urls")),
    path("beneficiaries/", include("ansinh.registry.urls")),
    path("imports/", include("ansinh.imports.urls")),
    path("review/", include("ansinh.review.urls")),
    path("accounts/", include("ansinh.payouts.urls")),
    path("fieldwork/", include("ansinh.fieldwork.urls")),
    path("payments/", include("ansinh.payments.urls")),
    path("campaigns/", include("ansinh.campaigns.urls")),
    path("insurance/", include("ansinh.insurance.urls")),
    path("", include("ansinh.web.urls")),
]
