"""The Tier-5 board, the sign-off dialog and the learner's mastery record."""
