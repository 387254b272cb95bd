"""The solcjs shim (tools/solc/solc) answers as native solc does, for py-solc-x, brownie and slither."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import solcx
from packaging.version import Version
from solcx.exceptions import SolcError, UnknownOption, UnknownValue

ROOT = Path(__file__).resolve().parents[2]
SHIM = ROOT / "tools" / "solc" / "solc"
NODE_MODULES = ROOT / "node_modules"
SOLC_VERSION = json.loads((ROOT / "package.json").read_text())["dependencies"]["solc"]
OZ_REMAPPING = f"@openzeppelin/contracts/={NODE_MODULES}/@openzeppelin/contracts/"

TOKEN = """// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {Fee} from "./lib/Fee.sol";

contract Token is ERC20 {
    constructor() ERC20("Token", "TOK") {}

    function fee(uint256 amount) external pure returns (uint256) {
        return Fee.percent(amount);
    }
}
"""
FEE = """// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

library Fee {
    function percent(uint256 amount) internal pure returns (uint256) {
        return amount / 100;
    }
}
"""
BROKEN = "// SPDX-License-Identifier: MIT\npragma solidity ^0.8.20;\ncontract Broken { uint256 x = }\n"


def shim(*args: str | Path, stdin: str | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SHIM), *map(str, args)], input=stdin, cwd=cwd, capture_output=True, text=True, timeout=120
    )


def standard_json(sources: dict[str, Any], *args: str | Path, cwd: Path = ROOT, **settings: Any) -> Any:
    """Compiles through `--standard-json` and returns the parsed output (the exit code must be 0)."""
    settings.setdefault("outputSelection", {"*": {"*": ["abi", "evm.methodIdentifiers"]}})
    request = {"language": "Solidity", "sources": sources, "settings": settings}
    result = shim("--standard-json", *args, stdin=json.dumps(request), cwd=cwd)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def errors(output: Any) -> list[str]:
    return [e["formattedMessage"] for e in output.get("errors", []) if e["severity"] == "error"]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project outside the repository: src/Token.sol imports OpenZeppelin and ./lib/Fee.sol."""
    (tmp_path / "src" / "lib").mkdir(parents=True)
    (tmp_path / "src" / "Token.sol").write_text(TOKEN)
    (tmp_path / "src" / "lib" / "Fee.sol").write_text(FEE)
    return tmp_path


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shim installed as `make` does it: a symlink named solc-vX.Y.Z in a py-solc-x folder."""
    folder = tmp_path_factory.mktemp("solcx")
    (folder / f"solc-v{SOLC_VERSION}").symlink_to(SHIM)
    return folder


# --- --version, --help and py-solc-x ---------------------------------------------------------------


def test_version_is_printed_as_native_solc_prints_it() -> None:
    result = shim("--version")

    assert result.returncode == 0
    banner, version = result.stdout.splitlines()
    assert banner == "solc, the solidity compiler commandline interface"
    assert re.fullmatch(rf"Version: {re.escape(SOLC_VERSION)}\+commit\.[0-9a-f]{{8}}", version)


def test_py_solc_x_counts_and_reads_the_installed_shim(installed: Path) -> None:
    binary = installed / f"solc-v{SOLC_VERSION}"

    assert solcx.get_installed_solc_versions(installed) == [Version(SOLC_VERSION)]
    assert solcx.wrapper.get_solc_version(binary) == Version(SOLC_VERSION)
    assert str(solcx.wrapper.get_solc_version(binary, with_commit_hash=True)).startswith(
        f"{SOLC_VERSION}+commit"
    )


def test_py_solc_x_compiles_standard_json_through_the_shim(installed: Path, project: Path) -> None:
    request = {
        "language": "Solidity",
        "sources": {"src/Token.sol": {"content": TOKEN}},
        "settings": {"remappings": [OZ_REMAPPING], "outputSelection": {"*": {"*": ["abi"]}}},
    }

    output = solcx.compile_standard(
        request, solc_binary=installed / f"solc-v{SOLC_VERSION}", allow_paths=str(project), base_path=project
    )

    assert {item.get("name") for item in output["contracts"]["src/Token.sol"]["Token"]["abi"]} >= {
        "fee",
        "transfer",
    }


def test_py_solc_x_compile_source_reads_help_and_stdin(installed: Path) -> None:
    """compile_source pipes the source to `solc --combined-json <keys from --help> -`."""
    output = solcx.compile_source(FEE, solc_binary=installed / f"solc-v{SOLC_VERSION}")

    assert output["<stdin>:Fee"]["abi"] == []
    assert output["<stdin>:Fee"]["ast"]["nodeType"] == "SourceUnit"


# --- --standard-json -------------------------------------------------------------------------------


def test_standard_json_reads_imports_from_base_path_and_remapped_node_modules(project: Path) -> None:
    output = standard_json(
        {"src/Token.sol": {"content": TOKEN}}, "--base-path", project, remappings=[OZ_REMAPPING]
    )

    assert errors(output) == []
    assert output["contracts"]["src/Token.sol"]["Token"]["evm"]["methodIdentifiers"]["fee(uint256)"]
    assert "src/lib/Fee.sol" in output["sources"]
    assert f"{NODE_MODULES}/@openzeppelin/contracts/token/ERC20/ERC20.sol" in output["sources"]


def test_standard_json_reads_imports_from_allow_paths(
    project: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    elsewhere = tmp_path_factory.mktemp("cwd")

    output = standard_json(
        {"src/Token.sol": {"content": TOKEN}},
        "--allow-paths",
        f"{elsewhere},{project}",
        cwd=elsewhere,
        remappings=[OZ_REMAPPING],
    )

    assert errors(output) == []
    assert "Token" in output["contracts"]["src/Token.sol"]


def test_standard_json_applies_a_remapping_once(tmp_path: Path) -> None:
    """The compiler remaps before it asks for a file; remapping again would look for dep/src/src/."""
    (tmp_path / "dep" / "src").mkdir(parents=True)
    (tmp_path / "dep" / "src" / "Fee.sol").write_text(FEE)
    main = 'pragma solidity ^0.8.20;\nimport {Fee} from "dep/Fee.sol";\ncontract Main {}\n'

    output = standard_json({"Main.sol": {"content": main}}, cwd=tmp_path, remappings=["dep/=dep/src/"])

    assert errors(output) == []
    assert "dep/src/Fee.sol" in output["sources"]


def test_a_compile_error_comes_back_inside_the_json(tmp_path: Path) -> None:
    output = standard_json({"Broken.sol": {"content": BROKEN}}, cwd=tmp_path)

    assert [e["type"] for e in output["errors"] if e["severity"] == "error"] == ["ParserError"]
    assert "contracts" not in output or output["contracts"] == {}


def test_a_missing_import_comes_back_inside_the_json(tmp_path: Path) -> None:
    main = 'pragma solidity ^0.8.20;\nimport "./Missing.sol";\ncontract Main {}\n'

    output = standard_json({"Main.sol": {"content": main}}, cwd=tmp_path)

    assert any("Missing.sol" in message and "not found" in message for message in errors(output))


def test_invalid_json_input_gives_a_json_error(tmp_path: Path) -> None:
    result = shim("--standard-json", stdin="{not json", cwd=tmp_path)

    assert result.returncode == 0
    (error,) = json.loads(result.stdout)["errors"]
    assert (error["type"], error["severity"]) == ("JSONError", "error")


def test_a_large_output_reaches_the_pipe_whole() -> None:
    """The real token's ASTs run to megabytes: a Node exit before the flush would cut them at 64 KiB."""
    sources = {
        "contracts/DigitalTenge.sol": {"content": (ROOT / "contracts" / "DigitalTenge.sol").read_text()}
    }
    remappings = [
        "@openzeppelin/contracts=node_modules/@openzeppelin/contracts",
        "@openzeppelin/contracts-upgradeable=node_modules/@openzeppelin/contracts-upgradeable",
    ]
    request = {
        "language": "Solidity",
        "sources": sources,
        "settings": {
            "remappings": remappings,
            "evmVersion": "shanghai",
            "outputSelection": {"*": {"*": ["abi"], "": ["ast"]}},
        },
    }

    result = shim("--standard-json", stdin=json.dumps(request))

    assert len(result.stdout) > 1024 * 1024
    output = json.loads(result.stdout)
    assert errors(output) == []
    assert any(
        item.get("name") == "mint"
        for item in output["contracts"]["contracts/DigitalTenge.sol"]["DigitalTenge"]["abi"]
    )


def test_standard_json_refuses_compiler_flags_as_native_solc_does() -> None:
    result = shim("--standard-json", "--optimize", stdin="{}")

    assert result.returncode != 0
    assert "--optimize" in result.stderr and "not supported in the current input mode" in result.stderr


# --- --combined-json -------------------------------------------------------------------------------


def test_combined_json_compiles_files_with_remapping_arguments(project: Path) -> None:
    result = shim(
        OZ_REMAPPING,
        "src/Token.sol",
        "--combined-json",
        "abi,ast,bin,bin-runtime,srcmap,srcmap-runtime,hashes",
        "--evm-version",
        "shanghai",
        "--optimize",
        "--allow-paths",
        f".,{project}/src",
        cwd=project,
    )

    assert result.returncode == 0, result.stderr
    output = json.loads(result.stdout)
    token = output["contracts"]["src/Token.sol:Token"]
    assert re.fullmatch(r"[0-9a-f]+", token["bin"]) and re.fullmatch(r"[0-9a-f]+", token["bin-runtime"])
    assert token["hashes"]["transfer(address,uint256)"] == "a9059cbb"
    assert isinstance(token["abi"], list) and token["srcmap"] and token["srcmap-runtime"]
    # Source maps name sources by index: sourceList[id] must be the source with that id.
    assert [output["sourceList"][source["id"]] for source in output["sources"].values()] == list(
        output["sources"]
    )
    assert output["sources"]["src/Token.sol"]["AST"]["nodeType"] == "SourceUnit"


def test_combined_json_honours_the_evm_version(project: Path) -> None:
    """Shanghai is the project's target (Ganache 7.9): PUSH0 yes, Cancun's MCOPY never."""

    def opcodes(evm_version: str) -> str:
        result = shim(
            "src/lib/Fee.sol", "--combined-json", "opcodes", "--evm-version", evm_version, cwd=project
        )
        assert result.returncode == 0, result.stderr
        return str(json.loads(result.stdout)["contracts"]["src/lib/Fee.sol:Fee"]["opcodes"])

    assert "PUSH0" in opcodes("shanghai")
    assert "PUSH0" not in opcodes("paris")


def test_combined_json_names_sources_relative_to_the_base_path(project: Path) -> None:
    result = shim(project / "src" / "lib" / "Fee.sol", "--combined-json", "abi", "--base-path", project)

    assert result.returncode == 0, result.stderr
    assert list(json.loads(result.stdout)["contracts"]) == ["src/lib/Fee.sol:Fee"]


def test_combined_json_compile_error_exits_non_zero_with_the_message(tmp_path: Path) -> None:
    (tmp_path / "Broken.sol").write_text(BROKEN)

    result = shim("Broken.sol", "--combined-json", "abi", cwd=tmp_path)

    assert result.returncode == 1
    assert "ParserError" in result.stderr and result.stdout == ""


def test_combined_json_without_a_file_is_refused(tmp_path: Path) -> None:
    result = shim("--combined-json", "abi", cwd=tmp_path)

    assert result.returncode != 0
    assert "No input files given" in result.stderr


# --- what the shim does not do ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--bin", "x.sol"], "unrecognised option '--bin'"),
        (["--ir-optimized", "x.sol"], "unrecognised option '--ir-optimized'"),
        (["--combined-json", "abi,bogus", "x.sol"], "Invalid option to --combined-json: bogus"),
        (["--combined-json"], "option '--combined-json' needs a value"),
        (["x.sol"], "no mode given"),
    ],
)
def test_an_unsupported_command_line_exits_non_zero_with_a_clear_message(
    args: list[str], message: str
) -> None:
    result = shim(*args)

    assert result.returncode != 0
    assert result.stdout == ""
    assert message in result.stderr


def test_py_solc_x_turns_an_unsupported_option_into_its_own_exceptions(
    installed: Path, project: Path
) -> None:
    binary = installed / f"solc-v{SOLC_VERSION}"

    with pytest.raises(UnknownOption, match="'--gas'"):
        solcx.wrapper.solc_wrapper(
            solc_binary=binary, source_files=project / "src" / "lib" / "Fee.sol", gas=True
        )
    with pytest.raises(UnknownValue, match="'bogus"):
        solcx.compile_source(FEE, output_values=["abi", "bogus"], solc_binary=binary)
    with pytest.raises(SolcError):
        solcx.compile_source(BROKEN, output_values=["abi"], solc_binary=binary)
