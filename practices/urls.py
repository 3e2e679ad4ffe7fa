from django.urls import path

from rvcu.cache import public_page

from . import views

app_name = "practices"

urlpatterns = [
    path("practices/", public_page(views.PracticeListView.as_view()), name="practice-list"),
    path(
        "practices/<slug:slug>/",
        public_page(views.PracticeDetailView.as_view()),
        name="practice-detail",
    ),
    path("my/practices/new/", views.PracticeCreateView.as_view(), name="practice-create"),
    path("my/practices/<int:pk>/", views.MyPracticeDetailView.as_view(), name="my-practice"),
    path("my/practices/<int:pk>/edit/", views.PracticeUpdateView.as_view(), name="practice-edit"),
    path(
        "my/practices/<int:pk>/<str:action>/",
        views.PracticeTransitionView.as_view(),
        name="practice-transition",
    ),
]
