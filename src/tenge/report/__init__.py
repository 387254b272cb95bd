"""The transparency report (`tenge report`): a static site of every use of power over the money, built
from the event index alone; see `tenge.report.build`."""

from __future__ import annotations

from tenge.report.build import REPORT_SCHEMA_VERSION, ReportManifest, build_report

__all__ = ["REPORT_SCHEMA_VERSION", "ReportManifest", "build_report"]
