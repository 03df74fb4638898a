"""Settings from TRIAGEBOT_* environment variables and a .env file.

Built once at start-up (``Settings()``) and passed in; nothing reads them at import time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

SQLITE_FILENAME = "triagebot.db"


class Settings(BaseSettings):
    """Everything triagebot can be configured with."""

    model_config = SettingsConfigDict(
        env_prefix="TRIAGEBOT_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    data_dir: Path = Field(default=Path("data"), description="Holds the SQLite database.")
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; the SQLite file in data_dir when unset."
    )
    index_dir: Path | None = Field(
        default=None,
        description="Where index builds live: ./index by default, <data_dir>/index when "
        "TRIAGEBOT_DATA_DIR is set.",
    )
    embedding_model: str | None = Field(
        default=None,
        description="A sentence-transformers name or path; the packaged all-MiniLM-L6-v2 "
        "when unset.",
    )
    encoder_backend: Literal["onnx-int8", "torch"] = Field(
        default="onnx-int8",
        description="onnx-int8: an int8 ONNX export of the model run by ONNX Runtime, no torch "
        "(made by `make install`, or once in <data_dir>/models/); torch: the "
        "sentence-transformers model as it is. Rebuild the index after switching.",
    )
    discord_token: SecretStr | None = None
    discord_dev_guild: int | None = Field(
        default=None, description="Sync slash commands to this guild only (development)."
    )
    discord_api_base: str | None = Field(
        default=None,
        description="Discord's REST API base URL; only for a local stand-in in tests.",
    )
    discord_message_content: bool = Field(
        default=False,
        description="Ask Discord for the privileged Message Content intent, needed only to "
        "answer help-forum posts (enable it in the developer portal first).",
    )
    unanswered_retention_days: int = Field(default=90, ge=1)
    redflags_learned: bool = Field(
        default=True,
        description="Run the learned red-flag detector beside the patterns (its model ships "
        "with triagebot); false runs the patterns alone.",
    )

    @model_validator(mode="after")
    def _default_index_dir(self) -> Settings:
        if self.index_dir is None:
            explicit_data_dir = "data_dir" in self.model_fields_set
            self.index_dir = self.data_dir / "index" if explicit_data_dir else Path("index")
        return self

    @property
    def resolved_database_url(self) -> str:
        """The database to use: TRIAGEBOT_DATABASE_URL, or the SQLite file in data_dir."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / SQLITE_FILENAME).as_posix()}"

    @property
    def index_root(self) -> Path:
        """The folder that holds one sub-folder of index builds per scope."""
        assert self.index_dir is not None  # set by the validator
        return self.index_dir
