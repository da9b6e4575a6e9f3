from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from events import views as event_views
from events.declarations import CERTIFICATE_PATH, REGISTRATION_PATH
from ikpob_portal import security_txt, sitemaps, views
from ikpob_portal.kernel import converters  # noqa: F401 (registers <text:>)
from ikpob_portal.platform import images
from publications.oai import oai_view

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz/", views.healthz, name="healthz"),
    path("sitemap.xml", sitemaps.sitemap, name="sitemap"),
    path("robots.txt", sitemaps.robots_txt, name="robots"),
    path(security_txt.PATH, security_txt.security_txt, name="security-txt"),
    path("favicon.ico", security_txt.favicon, name="favicon"),
    path("oai/", oai_view, name="oai"),
    # Image renditions, one URL per content (cached for a year); no language prefix.
    path("afbeeldingen/<path:name>", images.rendition_view, name="image-rendition"),
    path(settings.ADMIN_URL, admin.site.urls),
]

urlpatterns += i18n_patterns(
    path("", views.HomeView.as_view(), name="home"),
    path("themas/", include("ikpob_portal.theme_urls")),
    path("themas/<text:slug>/feed/", include("publications.theme_feed_urls")),
    # A search is identified by its words (and page); facets are views of the same results.
    path(
        "zoeken/",
        views.SearchView.as_view(extra_context={"canonical_params": ("q", "page")}),
        name="search",
    ),
    path("toegankelijkheid/", views.page("pages/accessibility.html"), name="accessibility"),
    path("privacy/", views.page("pages/privacy.html"), name="privacy"),
    path("publicaties/", include("publications.urls")),
    path("actueel/", include("publications.news.urls")),
    path("leerkringen/", include("learning_circles.urls")),
    path("netwerk/", include("network.urls")),
    path("evenementen/", include("events.urls")),
    # Personal pages: declared as such, so they are never cached and their tokens never logged.
    path(REGISTRATION_PATH, include("events.registration_urls")),
    path(
        f"{CERTIFICATE_PATH}<slug:code>/",
        event_views.certificate_verify,
        name="certificate-verify",
    ),
    # Following themes and searches, the newsletter; /abonnement/<token>/ is personal.
    path("", include("ikpob_portal.subscriptions.urls")),
    # Last: the foundation's own pages at the root (/over-ikpob/). Every path above wins, and
    # a page may not take a slug one of them uses (ikpob_portal/pages/reserved.py).
    path("", include("ikpob_portal.pages.urls")),
    prefix_default_language=False,
)

# The database being down, raised outside a view (e.g. in a middleware), answers with the 503
# page too; anything else gets Django's own 500 page (ikpob_portal/platform/resilience.py).
handler500 = "ikpob_portal.platform.resilience.server_error"
