from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningCirclesConfig(AppConfig):
    name = "learning_circles"
    verbose_name = _("Leerkringen")

    def ready(self) -> None:
        from learning_circles import mails

        mails.register()  # sender for the kernel's outbox
        from ikpob_portal.kernel import registry, search
        from learning_circles.models import LearningCircle, Participation, ResearchQuestion

        def public():
            return LearningCircle.objects.published().for_cards()

        registry.register(
            registry.ContentKind(
                model=LearningCircle,
                label=_("Leerkringen"),
                list_url_name="learning_circles:list",
                card_template="includes/learning_circle_card.html",
                public_queryset=public,
                search_document=lambda c: registry.SearchDocument(
                    title=c.title,
                    summary=c.summary,
                    body=" ".join([c.description, *(q.text for q in c.questions.all())]),
                    names=" ".join(
                        p.organisation.name
                        for p in c.participations.all()
                        if p.organisation.is_published
                    ),
                ),
                position=20,
            )
        )
        registry.register_connection(
            registry.Connection(
                label=_("Leerkringen"),
                card_template="includes/learning_circle_card.html",
                for_organisation=lambda organisation: public().filter(
                    participations__organisation=organisation
                ),
                for_person=lambda person: public().filter(contacts__person=person).distinct(),
            )
        )

        def participation_rows():
            participations = Participation.objects.filter(
                circle__in=LearningCircle.objects.published(),
                organisation__in=_published_organisations(),
            ).select_related("circle", "organisation")
            return [
                registry.ParticipationRow(
                    organisation=p.organisation,
                    activity=p.circle,
                    kind=str(_("Leerkring")),
                    role=p.get_role_display(),
                    date=p.circle.start_date,
                )
                for p in participations
            ]

        registry.register_participation_source(participation_rows)
        search.reindex_parent_on_change(Participation, "circle")
        search.reindex_parent_on_change(ResearchQuestion, "circle")


def _published_organisations():
    from network.models import Organisation

    return Organisation.objects.published()
