from django.urls import path

from rvcu.cache import public_page

from . import views

app_name = "cities"

urlpatterns = [
    path("cities/", public_page(views.CityListView.as_view()), name="city-list"),
    path("cities/<slug:slug>/", public_page(views.CityDetailView.as_view()), name="city-detail"),
    path("my/cities/<slug:slug>/", views.CityPresentationUpdateView.as_view(), name="city-edit"),
    path("fields/<slug:slug>/", public_page(views.FieldDetailView.as_view()), name="field-detail"),
]
