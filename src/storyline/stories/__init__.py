"""Stories stage: duplicates and echoes, events, stories and timelines."""
