from flask import Flask

app = Flask(__name__)


@app.get("/health")
def health():
    # For the load balancer: answers while the process can serve requests.
    return {"status": "ok"}
