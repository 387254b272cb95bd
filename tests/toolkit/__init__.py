"""Tests of the integrator package `tenge` and its command line (a package: no name clashes with tests/)."""
