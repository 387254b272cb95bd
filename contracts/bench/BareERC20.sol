// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";

/// @title Benchmark baseline: a bare OpenZeppelin 5 ERC20 with EIP-2612 permit
/// @notice Not deployable for value: anyone may mint. `make bench` compares the Digital Tenge's gas with
/// this token's, so that the table shows what our roles, checks and proxy cost on top of the standard.
/// @dev No proxy, no roles, no pause, freeze or blocklist: the standard and nothing else.
contract BareERC20 is ERC20, ERC20Permit {
    constructor() ERC20("Bare Baseline", "BARE") ERC20Permit("Bare Baseline") {}

    /// @notice Mints `amount` to `to`; open to anyone (setup and the `mint` row of the benchmark).
    /// @param to The receiver.
    /// @param amount The amount, in token units.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice 2, as the Digital Tenge.
    function decimals() public pure override returns (uint8) {
        return 2;
    }
}
