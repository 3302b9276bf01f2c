import re
from datetime import UTC, datetime, timedelta
from typing import Annotated

import jwt
from fastapi import Depends, FastAPI, HTTPException, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import OAuth2PasswordBearer, OAuth2PasswordRequestForm
from pwdlib import PasswordHash
from pydantic import BaseModel, Field, field_validator
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from snippets.auth.fastapi_limit import forget_login_attempts, login_key, reserve_login_attempt
from snippets.configuration.secret_env import require_secret
from snippets.database.fastapi_db import User, get_session
from snippets.security.fastapi_charset import TextCharsetsOnly
from snippets.validation.fastapi_strict import strict_json

SECRET_KEY = require_secret("GUIDE_SECRET_KEY")  # no default: a missing key stops the app
ALGORITHM = "HS256"
REQUIRED = {"require": ["sub", "exp"]}  # a token without them is invalid, not a KeyError
TOKEN_LIFETIME = timedelta(minutes=30)
# Django's rule for usernames: letters, digits and @.+-_ (so no NUL, which PostgreSQL refuses),
# in Python's regex both at sign-up and at log-in (Pydantic's pattern= is Rust's, whose \w
# differs: it would admit names that log-in then refuses).
USERNAME = re.compile(r"[\w.@+-]{1,150}")

app = strict_json(FastAPI())  # see the validation page
app.add_middleware(TextCharsetsOnly)  # a form in UTF-7 could hold a lone surrogate: 415
password_hash = PasswordHash.recommended()  # Argon2
DUMMY_HASH = password_hash.hash("dummy password")
oauth2_scheme = OAuth2PasswordBearer(tokenUrl="login")
SessionDep = Annotated[Session, Depends(get_session)]
UNAUTHORIZED = {
    "status_code": status.HTTP_401_UNAUTHORIZED,
    "headers": {"WWW-Authenticate": "Bearer"},
}


@app.exception_handler(RequestValidationError)
async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    # FastAPI's default 422 echoes every rejected value ("input"): a password too short
    # would come back in the response, and land in any log that records responses.
    errors = [{"loc": e["loc"], "msg": e["msg"], "type": e["type"]} for e in exc.errors()]
    return JSONResponse({"detail": errors}, status_code=422)


class Registration(BaseModel):
    username: str = Field(min_length=1, max_length=150)
    password: str = Field(min_length=8)

    @field_validator("username")
    @classmethod
    def django_characters(cls, username: str) -> str:
        if not USERNAME.fullmatch(username):
            raise ValueError("letters, digits and @.+-_ only")
        return username


class UserOut(BaseModel):
    username: str


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"  # noqa: S105 (OAuth2's token type name, not a password)


def authenticate_user(session: Session, username: str, password: str) -> User | None:
    # A name no account can have is not looked up: PostgreSQL would refuse a NUL in it.
    valid = USERNAME.fullmatch(username)
    user = session.scalar(select(User).where(User.username == username)) if valid else None
    if user is None:
        password_hash.verify(password, DUMMY_HASH)  # same time as a real check: no user probing
        return None
    return user if password_hash.verify(password, user.password_hash) else None


def get_current_user(token: Annotated[str, Depends(oauth2_scheme)], session: SessionDep) -> User:
    try:
        username = jwt.decode(token, SECRET_KEY, algorithms=[ALGORITHM], options=REQUIRED)["sub"]
    except jwt.InvalidTokenError:
        raise HTTPException(detail="Could not validate credentials", **UNAUTHORIZED) from None
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise HTTPException(detail="Could not validate credentials", **UNAUTHORIZED)
    return user


@app.post("/register", status_code=201)
def register(data: Registration, session: SessionDep) -> UserOut:
    if session.scalar(select(User).where(User.username == data.username)):
        raise HTTPException(status_code=409, detail="Username already taken")
    user = User(username=data.username, password_hash=password_hash.hash(data.password))
    session.add(user)
    try:
        session.commit()
    except IntegrityError:  # taken while the password was hashed: two sign-ups at once
        session.rollback()
        raise HTTPException(status_code=409, detail="Username already taken") from None
    return UserOut(username=user.username)


@app.post("/login")
def login(
    request: Request, form: Annotated[OAuth2PasswordRequestForm, Depends()], session: SessionDep
) -> Token:
    key = login_key(request, form.username)
    reserve_login_attempt(key)  # 429 with Retry-After after 5 failures within a minute
    user = authenticate_user(session, form.username, form.password)
    if user is None:
        raise HTTPException(detail="Incorrect username or password", **UNAUTHORIZED)
    forget_login_attempts(key)
    claims = {"sub": user.username, "exp": datetime.now(UTC) + TOKEN_LIFETIME}
    return Token(access_token=jwt.encode(claims, SECRET_KEY, algorithm=ALGORITHM))


@app.get("/me")
def me(user: Annotated[User, Depends(get_current_user)]) -> UserOut:
    return UserOut(username=user.username)
