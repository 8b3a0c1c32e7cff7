"""The two states after the questions (a question's state is its key).

Light on purpose: the UI names these states before the flow itself is loaded.
"""

REVIEW = "review"  # every answer, grouped by section
SUMMARY = "summary"  # the pre-check and the subsidy
