from datetime import date

from flask import Flask, request
from flask_marshmallow import Marshmallow
from marshmallow import ValidationError, fields, validate

from snippets.validation.flask_strict import strict_json

app = strict_json(Flask(__name__))  # see the validation page
ma = Marshmallow(app)

# No control characters: PostgreSQL refuses a NUL in text, and mail headers break on them.
# \Z, not $: Python's $ also matches before a final newline.
TEXT = validate.Regexp(r"^[^\x00-\x1f\x7f-\x9f]*\Z", error="Control characters are not allowed.")


class UserSchema(ma.Schema):
    id = fields.Int(dump_only=True)
    username = fields.Str(required=True, validate=[validate.Length(min=1, max=150), TEXT])
    email = fields.Str(required=True, validate=[validate.Length(min=3, max=254), TEXT])
    password = fields.Str(required=True, load_only=True, validate=validate.Length(min=8, max=128))
    joined = fields.Date(dump_only=True)


user_schema = UserSchema()  # dump() keeps only the declared, non-load_only fields
USERS = {1: {"id": 1, "username": "ada", "email": "ada@example.com",
             "joined": date(2024, 5, 1), "password_hash": "pbkdf2_sha256$..."}}  # fmt: skip


@app.get("/users/<int:user_id>")
def get_user(user_id):
    if user_id not in USERS:
        return {"detail": "User not found"}, 404
    return user_schema.dump(USERS[user_id])


@app.post("/users")
def create_user():
    try:
        user = user_schema.load(request.get_json(silent=True) or {})
    except ValidationError as exc:
        return {"detail": exc.messages}, 422
    new_id = max(USERS) + 1
    USERS[new_id] = {"id": new_id, "username": user["username"], "email": user["email"],
                     "joined": date.today(), "password_hash": "hashed elsewhere"}  # fmt: skip
    return user_schema.dump(USERS[new_id]), 201
