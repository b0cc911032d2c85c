"""Group supervision: identified requests from a staff link, the supervisor's queue, and statistics.

A request is identified (the supervisor has to reply) and is stored apart from the anonymous
survey answers; nothing here reads or joins survey_responses or survey_answers. The free text
(description, notes, outcome, reason) is for the supervisor role only. Aggregates for other
roles live in `statistics` and reach pages only through `trivsel.views.supervision`.
"""

from trivsel.supervision.requests import (
    PUBLIC_STATUS,
    STATUS_LABELS,
    ConflictError,
    SupervisionError,
)

__all__ = ["PUBLIC_STATUS", "STATUS_LABELS", "ConflictError", "SupervisionError"]
