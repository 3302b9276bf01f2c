"""Models of the guide app.

Topic snippets define their Django models in ``snippets/<topic>/django_models.py``
with ``app_label = "guide"``; importing every one of them here (found by convention,
``config/topics.py``) registers them with this app, so the demo project has one database
and one set of migrations.
"""

from demo_apps.django_app.config import topics

topics.register_models()
