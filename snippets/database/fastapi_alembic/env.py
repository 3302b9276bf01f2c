from alembic import context
from sqlalchemy import create_engine

from snippets.database.fastapi_db import Base

engine = create_engine(context.config.get_main_option("sqlalchemy.url"))
with engine.connect() as connection:
    # target_metadata lets `alembic revision --autogenerate` compare the models with the database
    context.configure(connection=connection, target_metadata=Base.metadata)
    with context.begin_transaction():
        context.run_migrations()
