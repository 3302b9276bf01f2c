from fastapi import FastAPI

app = FastAPI()


@app.get("/health")
async def health():
    # For the load balancer: answers while the process can serve requests.
    return {"status": "ok"}
