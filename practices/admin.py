from django.contrib import admin

from .models import ActionArea, Objective, SustainableDevelopmentGoal


@admin.register(Objective, ActionArea, SustainableDevelopmentGoal)
class MissionTagAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_fr", "code", "position"]
    list_editable = ["position"]
    search_fields = ["name_en", "name_fr", "code"]
    prepopulated_fields = {"code": ["name_en"]}
