from django.urls import path

from . import views

app_name = "cities"

urlpatterns = [
    path("cities/", views.CityListView.as_view(), name="city-list"),
    path("cities/<slug:slug>/", views.CityDetailView.as_view(), name="city-detail"),
    path("my/cities/<slug:slug>/", views.CityPresentationUpdateView.as_view(), name="city-edit"),
    path("fields/<slug:slug>/", views.FieldDetailView.as_view(), name="field-detail"),
]
