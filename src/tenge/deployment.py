"""Deployment records: what a deploy wrote, read back by every tool that talks to the token."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from eth_utils.crypto import keccak

from tenge.errors import DeploymentError

# 2: the mint controller (its address and code hash) joined the record with the minters leaving the token.
# 3: the seizure controller. 4: the earmark contract (TengeEarmarks); a schema-3 record still loads, with
# no earmark contract (`earmarks` None).
SCHEMA_VERSION = 4
READABLE_SCHEMAS = (3, 4)
DEFAULT_DIRECTORY = Path("deployments")


@dataclass(frozen=True)
class DeploymentRecord:
    """One deployment of the token on one chain: its proxy, implementation and controllers."""

    network: str
    chain_id: int
    address: str
    implementation: str
    block: int
    deployer: str
    admin: str
    admin_transfer_delay: int
    proxy_code_hash: str
    implementation_code_hash: str
    mint_controller: str
    mint_controller_code_hash: str
    seizure_controller: str
    seizure_controller_code_hash: str
    deployed_at: str
    transactions: dict[str, str] = field(default_factory=dict)
    roles: dict[str, list[str]] = field(default_factory=dict)
    abi: str = "src/tenge/abi/DigitalTenge.json"
    mint_controller_abi: str = "src/tenge/abi/TengeMintController.json"
    seizure_controller_abi: str = "src/tenge/abi/TengeSeizureController.json"
    earmarks: str | None = None  # the earmark contract beside the token; None in a schema-3 record
    earmarks_code_hash: str | None = None
    earmarks_abi: str = "src/tenge/abi/TengeEarmarks.json"
    schema: int = SCHEMA_VERSION

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, sort_keys=True) + "\n"

    @classmethod
    def from_dict(cls, data: dict[str, Any], source: str = "record") -> DeploymentRecord:
        if not isinstance(data, dict):
            raise DeploymentError(f"{source}: a deployment record is a JSON object")
        if data.get("schema") not in READABLE_SCHEMAS:
            expected = " or ".join(str(n) for n in READABLE_SCHEMAS)
            raise DeploymentError(
                f"{source}: malformed deployment record: schema {data.get('schema')!r}, expected {expected}"
            )
        if data.get("schema") == 3 and ("earmarks" in data or "earmarks_code_hash" in data):
            raise DeploymentError(f"{source}: a schema-3 record names no earmark contract")
        try:
            return cls(**data)
        except TypeError as exc:
            raise DeploymentError(f"{source}: malformed deployment record ({exc})") from None


def record_path(chain_id: int, directory: Path = DEFAULT_DIRECTORY) -> Path:
    """Where the record for `chain_id` lives: `deployments/<chain id>.json`."""
    return Path(directory) / f"{chain_id}.json"


def write_record(record: DeploymentRecord, directory: Path = DEFAULT_DIRECTORY) -> Path:
    """Writes the record atomically (a crash never leaves half a file) and returns its path."""
    path = record_path(record.chain_id, directory)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(record.to_json())
    tmp.replace(path)
    return path


def load_record(source: Path | str | int, directory: Path = DEFAULT_DIRECTORY) -> DeploymentRecord:
    """Reads a record from a path, or by chain id from `directory`."""
    path = record_path(source, directory) if isinstance(source, int) else Path(source)
    try:
        data = json.loads(path.read_text())
    except FileNotFoundError:
        raise DeploymentError(f"no deployment record at {path}: deploy first (make deploy)") from None
    except json.JSONDecodeError as exc:
        raise DeploymentError(f"{path} is not valid JSON: {exc}") from None
    return DeploymentRecord.from_dict(data, source=str(path))


def code_hash(code: bytes) -> str:
    """keccak256 of deployed bytecode as 0x-hex, as the record stores `proxy_code_hash` and friends."""
    return "0x" + keccak(code).hex()


def resolve_record(
    deployment: DeploymentRecord | Path | str | None, chain_id: int, directory: Path = DEFAULT_DIRECTORY
) -> DeploymentRecord:
    """The record to use: given as is, read from a path, or looked up by chain id in `directory`."""
    if isinstance(deployment, DeploymentRecord):
        return deployment
    if deployment is None:
        return load_record(chain_id, directory)
    return load_record(Path(deployment))
