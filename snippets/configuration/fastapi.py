from functools import lru_cache
from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException
from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Read from SHOP_APP_NAME, SHOP_NEW_CHECKOUT, SHOP_SECRET_KEY (or the defaults)."""

    model_config = SettingsConfigDict(env_prefix="SHOP_")

    app_name: str = "Verified guide"
    new_checkout: bool = False
    secret_key: SecretStr = SecretStr("dev-only-insecure")  # set SHOP_SECRET_KEY in production


@lru_cache
def get_settings() -> Settings:
    return Settings()


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
