# gunicorn -c gunicorn_conf.py APP: settings for the WSGI apps (Flask, and Django's wsgi.py).
import multiprocessing
import os

# The usual starting point is two workers per core plus one; WEB_CONCURRENCY overrides it.
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1))
if workers < 1:  # gunicorn takes 0, and then starts no worker to answer anything
    raise ValueError(f"WEB_CONCURRENCY must be 1 or more, not {workers}")
bind = os.environ.get("BIND", "127.0.0.1:8000")  # behind a reverse proxy on the same host
timeout = 30  # a worker silent for longer is killed and replaced
max_requests = 1000  # recycle workers now and then, which contains slow memory leaks
max_requests_jitter = 100  # ... but not all at the same moment
accesslog = "-"  # access log to stdout, for the container or systemd journal
