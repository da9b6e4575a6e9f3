from django.conf import settings
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.generic import DetailView

from ikpob_portal.kernel.lists import FacetedListView, connected_sections
from ikpob_portal.platform import ratelimit
from learning_circles import structured_data
from learning_circles.filters import LearningCircleFilterSet
from learning_circles.forms import JoinRequestForm
from learning_circles.models import Contact, LearningCircle, Meeting
from learning_circles.services import JoinRequestError, submit_join_request
from network.models import Person
from publications.models import Publication


class LearningCircleListView(FacetedListView):
    filterset_class = LearningCircleFilterSet
    template_name = "learning_circles/learningcircle_list.html"
    context_object_name = "circles"

    def get_queryset(self):
        return LearningCircle.objects.published().for_cards()


class LearningCircleDetailView(DetailView):
    template_name = "learning_circles/learningcircle_detail.html"
    context_object_name = "circle"

    def get_queryset(self):
        return (
            LearningCircle.objects.visible_to(self.request.user)
            .for_cards()
            .prefetch_related(
                "questions",
                Prefetch(
                    "contacts",
                    queryset=Contact.objects.select_related("person").filter(
                        person__in=Person.objects.published()
                    ),
                    to_attr="public_contacts",
                ),
                Prefetch(
                    "outcome_publications",
                    queryset=Publication.objects.published().for_cards().newest_first(),
                    to_attr="published_outcomes",
                ),
            )
        )

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        meetings = list(Meeting.objects.filter(circle=self.object).order_by("starts_at"))
        context["past_meetings"] = [m for m in meetings if m.starts_at < now]
        context["upcoming_meetings"] = [m for m in meetings if m.starts_at >= now]
        if self.object.is_published:  # an editor's preview of a draft tells machines nothing
            context["structured_data"] = structured_data.json_ld(
                self.object, self.request.build_absolute_uri
            )
        # Events of the circle (e.g. its slotconferentie), from whichever app registers them.
        context["sections"] = connected_sections(self.object)
        return context


def join(request, slug: str):
    """Interest in joining an open circle: a short form, stored for the editors."""
    circle = get_object_or_404(LearningCircle.objects.published(), slug=slug)
    if not circle.is_open_for_joining:
        return render(request, "learning_circles/join_closed.html", {"circle": circle}, status=410)
    if request.method == "POST":
        form = JoinRequestForm(request.POST, circle=circle)
        limit = settings.JOIN_RATE_LIMIT_PER_HOUR
        if not ratelimit.form_allowed(request, form, "join", limit=limit):
            response = render(
                request, "learning_circles/join.html", {"circle": circle, "form": form}
            )
            return ratelimit.limited(response, retry_after=ratelimit.FORM_WINDOW_SECONDS)
        if form.is_valid():
            try:
                submit_join_request(circle=circle, data=form.cleaned_data_for_model())
            except JoinRequestError as error:
                form.add_error(error.field, error.message)
            else:
                return redirect("learning_circles:joined", slug=circle.slug)
    else:
        form = JoinRequestForm(circle=circle)
    return render(
        request,
        "learning_circles/join.html",
        {"circle": circle, "form": form},
        status=400 if form.refused else 200,  # the honeypot was filled in
    )


def joined(request, slug: str):
    circle = get_object_or_404(LearningCircle.objects.published(), slug=slug)
    return render(request, "learning_circles/joined.html", {"circle": circle})
