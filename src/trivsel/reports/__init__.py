"""Reports for print: the unit report (PDF) for a MED committee, its charts and the shared PDF style."""
