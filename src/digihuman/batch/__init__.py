"""Batch rendering: many personalised videos from one job file (see :mod:`.jobs`, :mod:`.run`)."""

from .jobs import BadRow, Job, read_jobs
from .run import BatchReport, RowResult, run_batch

__all__ = ["BadRow", "BatchReport", "Job", "RowResult", "read_jobs", "run_batch"]
