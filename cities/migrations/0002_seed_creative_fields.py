"""Seed the seven creative fields of the mission statement and Architecture (opened in 2025)."""

from django.db import migrations

CREATIVE_FIELDS = [{'slug': 'crafts-folk-art',
  'name_en': 'Crafts and Folk Art',
  'name_fr': 'Artisanat et arts populaires',
  'description_en': 'Cities where making by hand is a living heritage and a livelihood: '
                    'workshops, traditional skills passed on to new generations, and markets '
                    'that bring them to the world.',
  'description_fr': 'Des villes où le travail de la main est un patrimoine vivant et un '
                    'gagne-pain : ateliers, savoir-faire transmis aux nouvelles générations et '
                    'marchés qui les font connaître au monde.',
  'colour': '#A34700',
  'icon': 'crafts',
  'position': 1},
 {'slug': 'media-arts',
  'name_en': 'Media Arts',
  'name_fr': 'Arts numériques',
  'description_en': 'Cities that use digital technology to create, show and share culture: '
                    'digital art, games, interactive works and the festivals and labs that '
                    'grow them.',
  'description_fr': 'Des villes qui créent, montrent et partagent la culture grâce au '
                    'numérique : art numérique, jeux, œuvres interactives, et les festivals et '
                    'laboratoires qui les font grandir.',
  'colour': '#6A3D9A',
  'icon': 'media',
  'position': 2},
 {'slug': 'design',
  'name_en': 'Design',
  'name_fr': 'Design',
  'description_en': 'Cities that put design to work for their people: public spaces, products '
                    'and services shaped with their users, and a design industry that grows '
                    'jobs.',
  'description_fr': 'Des villes qui mettent le design au service de leurs habitants : espaces '
                    'publics, produits et services conçus avec leurs usagers, et une filière '
                    'qui crée des emplois.',
  'colour': '#B0005A',
  'icon': 'design',
  'position': 3},
 {'slug': 'film',
  'name_en': 'Film',
  'name_fr': 'Film',
  'description_en': 'Cities of cinema: film heritage and archives, festivals, schools, studios '
                    'and screenings that bring films to every neighbourhood.',
  'description_fr': 'Des villes de cinéma : patrimoine et archives du film, festivals, écoles, '
                    'studios et projections qui portent les films dans chaque quartier.',
  'colour': '#1F3A93',
  'icon': 'film',
  'position': 4},
 {'slug': 'gastronomy',
  'name_en': 'Gastronomy',
  'name_fr': 'Gastronomie',
  'description_en': 'Cities whose food culture is a shared heritage: local produce, cooks and '
                    'markets, culinary schools and food traditions kept alive and sustainable.',
  'description_fr': 'Des villes dont la cuisine est un patrimoine partagé : produits locaux, '
                    'cuisiniers et marchés, écoles culinaires et traditions gardées vivantes '
                    'et durables.',
  'colour': '#2E6B1F',
  'icon': 'gastronomy',
  'position': 5},
 {'slug': 'literature',
  'name_en': 'Literature',
  'name_fr': 'Littérature',
  'description_en': 'Cities of books and writers: publishing, libraries, bookshops, literary '
                    'festivals and reading programmes open to everyone.',
  'description_fr': 'Des villes du livre et des écrivains : édition, bibliothèques, '
                    'librairies, festivals littéraires et programmes de lecture ouverts à '
                    'tous.',
  'colour': '#8B1E2D',
  'icon': 'literature',
  'position': 6},
 {'slug': 'music',
  'name_en': 'Music',
  'name_fr': 'Musique',
  'description_en': 'Cities where music is made, taught and heard: concert halls and street '
                    'stages, music schools, festivals and a music industry rooted in the city.',
  'description_fr': "Des villes où la musique se crée, s'apprend et s'écoute : salles de "
                    'concert et scènes de rue, écoles de musique, festivals et une filière '
                    'musicale ancrée dans la ville.',
  'colour': '#00695C',
  'icon': 'music',
  'position': 7},
 {'slug': 'architecture',
  'name_en': 'Architecture',
  'name_fr': 'Architecture',
  'description_en': 'The field opened in 2025: cities where architecture and urban design '
                    'shape a liveable, sustainable city, from built heritage to new public '
                    'buildings.',
  'description_fr': "Le domaine ouvert en 2025 : des villes où l'architecture et l'urbanisme "
                    'façonnent une ville durable et agréable à vivre, du patrimoine bâti aux '
                    'nouveaux édifices publics.',
  'colour': '#5D4037',
  'icon': 'architecture',
  'position': 8}]


def create_fields(apps, schema_editor):
    CreativeField = apps.get_model("cities", "CreativeField")
    for values in CREATIVE_FIELDS:
        CreativeField.objects.update_or_create(slug=values["slug"], defaults=values)


def delete_fields(apps, schema_editor):
    CreativeField = apps.get_model("cities", "CreativeField")
    CreativeField.objects.filter(slug__in=[values["slug"] for values in CREATIVE_FIELDS]).delete()


class Migration(migrations.Migration):
    dependencies = [("cities", "0001_initial")]

    operations = [migrations.RunPython(create_fields, delete_fields)]
