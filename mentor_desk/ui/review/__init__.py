"""The review workspace: one submission's evidence, rubric scoring, decision path, context and feedback."""
