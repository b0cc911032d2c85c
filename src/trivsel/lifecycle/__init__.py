"""Lifecycle surveys: events from HR data, a schedule, letters with one-time codes and pooled answers."""
