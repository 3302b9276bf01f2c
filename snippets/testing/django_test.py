from django.test import TestCase, override_settings
from django.urls import reverse


class HelloTests(TestCase):
    def test_default_greeting(self):
        response = self.client.get(reverse("hello-greeting"), {"name": "Ada"})
        self.assertContains(response, "Hello, Ada!")

    @override_settings(GREETING="Bonjour")
    def test_greeting_from_settings(self):
        response = self.client.get(reverse("hello-greeting"), {"name": "Ada"})
        self.assertJSONEqual(response.content, {"message": "Bonjour, Ada!"})

    def test_long_name_is_rejected(self):
        response = self.client.get(reverse("hello-greeting"), {"name": "x" * 21})
        self.assertContains(response, "too long", status_code=400)

    def test_post_is_not_allowed(self):
        response = self.client.post(reverse("hello-greeting"))
        self.assertEqual(response.status_code, 405)
