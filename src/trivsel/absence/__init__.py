"""Sickness absence: measures per unit for the 1-5-14 follow-up and the unit summaries."""
