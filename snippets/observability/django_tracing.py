# OpenTelemetry for Django is project-wide: DjangoInstrumentor inserts its middleware at the
# top of settings.MIDDLEWARE, so it must run before Django builds its middleware chain.
# Call instrument() in manage.py, wsgi.py and asgi.py, before get_wsgi_application() /
# get_asgi_application(). Every request then becomes a span named after its URL pattern.
from opentelemetry.instrumentation.django import DjangoInstrumentor
from opentelemetry.sdk.trace import TracerProvider

tracer_provider = TracerProvider()


def instrument() -> None:
    DjangoInstrumentor().instrument(tracer_provider=tracer_provider)
