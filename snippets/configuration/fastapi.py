from functools import lru_cache
from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException
from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from snippets.configuration.secret_env import check_secret, require_secret


class Settings(BaseSettings):
    """Read from SHOP_APP_NAME, SHOP_NEW_CHECKOUT and SHOP_SECRET_KEY."""

    model_config = SettingsConfigDict(env_prefix="SHOP_", env_ignore_empty=True)  # "" = unset

    app_name: str = "Verified guide"
    new_checkout: bool = False
    # No default key: without SHOP_SECRET_KEY, require_secret stops the app.
    secret_key: SecretStr = Field(default_factory=lambda: require_secret("SHOP_SECRET_KEY"))

    @field_validator("secret_key")
    @classmethod
    def usable_key(cls, key: SecretStr) -> SecretStr:
        # A key read from the environment skips the default_factory: the same checks here.
        check_secret("SHOP_SECRET_KEY", key.get_secret_value())
        return key


@lru_cache
def get_settings() -> Settings:
    return Settings()


get_settings()  # read once at import, so a missing secret stops the server at start
SettingsDep = Annotated[Settings, Depends(get_settings)]
app = FastAPI()


@app.get("/info")
async def info(settings: SettingsDep):
    # Name what may be shown; never return the whole settings object.
    return {
        "app_name": settings.app_name,
        "new_checkout": settings.new_checkout,
        "debug": app.debug,
    }


@app.get("/checkout")
async def checkout(settings: SettingsDep):
    if not settings.new_checkout:
        raise HTTPException(404, "Not enabled")
    return {"checkout": "new"}
