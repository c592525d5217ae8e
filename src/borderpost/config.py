"""Settings: one typed object, read from BORDERPOST_* environment variables.

Nothing else in the package reads the environment; `create_app(settings)` and the CLI pass this
object down.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEMO_SECRET = "borderpost-demo-secret-not-for-production"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BORDERPOST_", extra="ignore")

    database_url: str = Field(
        default=f"sqlite:///{Path('borderpost.db').resolve()}",
        description="SQLAlchemy URL: SQLite by default, postgresql+psycopg://... in production",
    )
    secret_key: str = Field(default=DEMO_SECRET, min_length=16)
    demo: bool = Field(default=False, description="Demo mode allows the built-in demo secret.")
    token_minutes: int = Field(default=480, ge=1, le=7 * 24 * 60)
    idempotency_hours: int = Field(default=48, ge=24)
    # After this an unfinished request's key may be taken over by a retry (its server died).
    idempotency_lease_seconds: int = Field(default=60, ge=1)
    login_max_failures: int = Field(default=5, ge=1, description="per account, then locked")
    login_max_failures_per_address: int = Field(default=30, ge=1, description="per client address")
    login_lockout_minutes: int = Field(default=15, ge=1)
    # How old an answer of the public status API may be (each server process computes it once
    # per period at most); 0 computes every answer afresh.
    public_status_seconds: float = Field(default=5, ge=0, le=300)
    # Threads per server process for the routes' database work (see app._thread_limit); a slow
    # request (an export, a group of hundreds) holds one of them while it runs.
    threads: int = Field(default=8, ge=1, le=200)
    # Request bodies: the largest JSON body is a group of 5,000 persons (about 3 MB); list files
    # (watchlists, permits, alerts, the tariff: paths ending in /import) get the larger limit: a
    # national watchlist of a million aliases is about 100 MB as CSV. Bigger lists go through
    # `borderpost watchlist import`, which reads the file from disk.
    max_body_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    max_import_bytes: int = Field(default=100 * 1024 * 1024, ge=1024)
    # A body that stalls this long between two chunks is cut off with 408 (a slow client must not
    # hold a worker's memory and a connection indefinitely).
    body_timeout_seconds: float = Field(default=30, gt=0, le=600)
    # Audit checkpoints: the Ed25519 private key signing them, kept apart from the database (on
    # another disk or host), and the file of signed checkpoints (JSON lines, appended).
    audit_key_file: Path | None = None
    audit_checkpoint_file: Path | None = None
    log_level: str = "INFO"
    log_json: bool = False
    sql_echo: bool = False

    @field_validator("database_url")
    @classmethod
    def _driver(cls, url: str) -> str:
        # A bare postgresql:// URL would pick psycopg2, which we do not ship.
        if url.startswith("postgresql://") or url.startswith("postgres://"):
            return "postgresql+psycopg://" + url.split("://", 1)[1]
        return url

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def check_for_production(self) -> None:
        """Refuse to serve real traffic with the published demo secret."""
        if self.secret_key == DEMO_SECRET and not self.demo:
            raise SystemExit(
                "BORDERPOST_SECRET_KEY is the built-in demo secret: set a secret of your own "
                "(at least 16 characters) or run `borderpost demo`."
            )
