from flask import Flask, request


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.from_mapping(GREETING="Hello")
    if test_config is not None:
        app.config.from_mapping(test_config)

    @app.get("/hello")
    def hello():
        name = request.args.get("name", "world")
        if len(name) > 20:
            return {"detail": "name is too long"}, 400
        return {"message": f"{app.config['GREETING']}, {name}!"}

    return app


app = create_app()
