"""Seed the network's six objectives and six areas of action (from its mission statement, in
our own short words) and the 17 UN Sustainable Development Goals (their official short names)."""

from django.db import migrations

OBJECTIVES = [
    ("international-cooperation", "International cooperation between creative cities",
     "Coopération internationale entre villes créatives"),
    ("creativity-for-urban-development", "Creativity as a lever of urban development, with public, private and civil society partners",
     "La créativité, levier du développement urbain, avec partenaires publics, privés et de la société civile"),
    ("cultural-creation-and-distribution", "Creation, production, distribution and sharing of cultural goods and services",
     "Création, production, distribution et diffusion des biens et services culturels"),
    ("creative-hubs-and-professionals", "Hubs of creativity and innovation, opportunities for creators and professionals",
     "Pôles de créativité et d'innovation, opportunités pour les créateurs et les professionnels"),
    ("access-to-cultural-life", "Access to and participation in cultural life, above all for vulnerable groups",
     "Accès et participation à la vie culturelle, en particulier des groupes vulnérables"),
    ("culture-in-local-development", "Culture and creativity in local development plans",
     "La culture et la créativité dans les plans de développement local"),
]

ACTION_AREAS = [
    ("sharing-good-practices", "Sharing experience, knowledge and good practices",
     "Partage d'expériences, de connaissances et de bonnes pratiques"),
    ("projects-and-partnerships", "Projects, partnerships and pilot initiatives",
     "Projets, partenariats et initiatives pilotes"),
    ("exchange-programmes", "Professional and artistic exchange programmes and networks",
     "Programmes et réseaux d'échange professionnels et artistiques"),
    ("studies-and-evaluation", "Studies, research and evaluation",
     "Études, recherches et évaluations"),
    ("sustainable-urban-policy", "Policies and measures for sustainable urban development",
     "Politiques et mesures pour le développement urbain durable"),
    ("communication-and-awareness", "Communication and awareness-raising",
     "Communication et sensibilisation"),
]

SDGS = [
    ("no-poverty", "No poverty", "Pas de pauvreté"),
    ("zero-hunger", "Zero hunger", "Faim « zéro »"),
    ("good-health", "Good health and well-being", "Bonne santé et bien-être"),
    ("quality-education", "Quality education", "Éducation de qualité"),
    ("gender-equality", "Gender equality", "Égalité entre les sexes"),
    ("clean-water", "Clean water and sanitation", "Eau propre et assainissement"),
    ("clean-energy", "Affordable and clean energy", "Énergie propre et d'un coût abordable"),
    ("decent-work", "Decent work and economic growth", "Travail décent et croissance économique"),
    ("industry-innovation", "Industry, innovation and infrastructure", "Industrie, innovation et infrastructure"),
    ("reduced-inequalities", "Reduced inequalities", "Inégalités réduites"),
    ("sustainable-cities", "Sustainable cities and communities", "Villes et communautés durables"),
    ("responsible-consumption", "Responsible consumption and production", "Consommation et production responsables"),
    ("climate-action", "Climate action", "Mesures relatives à la lutte contre les changements climatiques"),
    ("life-below-water", "Life below water", "Vie aquatique"),
    ("life-on-land", "Life on land", "Vie terrestre"),
    ("peace-justice", "Peace, justice and strong institutions", "Paix, justice et institutions efficaces"),
    ("partnerships-for-goals", "Partnerships for the goals", "Partenariats pour la réalisation des objectifs"),
]

TABLES = {"Objective": OBJECTIVES, "ActionArea": ACTION_AREAS, "SustainableDevelopmentGoal": SDGS}


def seed(apps, schema_editor):
    for model_name, rows in TABLES.items():
        model = apps.get_model("practices", model_name)
        for position, (code, name_en, name_fr) in enumerate(rows, start=1):
            if model_name == "SustainableDevelopmentGoal":
                name_en, name_fr = f"{position}. {name_en}", f"{position}. {name_fr}"
            model.objects.update_or_create(
                code=code, defaults={"name_en": name_en, "name_fr": name_fr, "position": position}
            )


def unseed(apps, schema_editor):
    for model_name, rows in TABLES.items():
        apps.get_model("practices", model_name).objects.filter(
            code__in=[code for code, _en, _fr in rows]
        ).delete()


class Migration(migrations.Migration):
    dependencies = [("practices", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
