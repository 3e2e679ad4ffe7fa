from django.urls import path

from rvcu.cache import public_page

from . import views

app_name = "partnerships"

urlpatterns = [
    path(
        "partnerships/", public_page(views.PartnershipListView.as_view()), name="partnership-list"
    ),
    path(
        "partnerships/<slug:slug>/",
        public_page(views.PartnershipDetailView.as_view()),
        name="partnership-detail",
    ),
    path("network/", public_page(views.NetworkView.as_view()), name="network"),
    path("my/partnerships/new/", views.PartnershipCreateView.as_view(), name="partnership-create"),
    path(
        "my/partnerships/<int:pk>/",
        views.MyPartnershipDetailView.as_view(),
        name="my-partnership",
    ),
    path(
        "my/partnerships/<int:pk>/edit/",
        views.PartnershipUpdateView.as_view(),
        name="partnership-edit",
    ),
    path(
        "my/partnerships/<int:pk>/invite/",
        views.CityInviteView.as_view(),
        name="city-invite",
    ),
    path(
        "my/partnerships/<int:pk>/cities/<int:participation>/<str:answer>/",
        views.ParticipationAnswerView.as_view(),
        name="participation-answer",
    ),
    path(
        "my/partnerships/<int:pk>/<str:action>/",
        views.PartnershipTransitionView.as_view(),
        name="partnership-transition",
    ),
]
