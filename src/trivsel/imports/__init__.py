"""Importers for payroll and HR exports: read, validate whole file, then write all or nothing."""

from trivsel.imports.problems import ImportRejected, Problem

__all__ = ["ImportRejected", "Problem"]
