"""Models of the guide app.

Topic snippets define their Django models in ``snippets/<topic>/django_models.py``
with ``app_label = "guide"``; importing them here registers them with this app,
so the demo project has one database and one set of migrations.
"""

from snippets.async_database.django_models import Author, Book  # noqa: F401
from snippets.bench.django_models import BenchAuthor, BenchRow  # noqa: F401
from snippets.database.django_models import Item  # noqa: F401
