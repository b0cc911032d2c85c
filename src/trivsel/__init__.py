"""trivsel: workplace wellbeing, sickness absence and group supervision for a Danish welfare area."""

__version__ = "0.1.0"
