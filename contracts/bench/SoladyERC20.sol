// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

// The remapping solady=node_modules/solady/src resolves this path; solhint does not read remappings.
// solhint-disable-next-line import-path-check
import {ERC20} from "solady/tokens/ERC20.sol";

/// @title Benchmark baseline: Solady's ERC20 with EIP-2612 permit
/// @notice Not deployable for value: anyone may mint. `make bench` compares the Digital Tenge's gas with
/// this token's: close to the floor for an ERC-20 on the EVM.
/// @dev Solady's ERC20 is abstract over name() and symbol(); everything else is as shipped (Permit2's
/// infinite allowance included).
contract SoladyERC20 is ERC20 {
    /// @notice Mints `amount` to `to`; open to anyone (setup and the `mint` row of the benchmark).
    /// @param to The receiver.
    /// @param amount The amount, in token units.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice The token's name.
    function name() public pure override returns (string memory) {
        return "Solady Baseline";
    }

    /// @notice The token's symbol.
    function symbol() public pure override returns (string memory) {
        return "SOLADY";
    }

    /// @notice 2, as the Digital Tenge.
    function decimals() public pure override returns (uint8) {
        return 2;
    }

    /// @dev Solady's documented optimisation for a constant name: saves hashing name() on every permit.
    function _constantNameHash() internal pure override returns (bytes32) {
        return keccak256(bytes("Solady Baseline"));
    }
}
