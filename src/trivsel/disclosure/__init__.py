"""Disclosure control: the only way an aggregate leaves the domain layer.

Every figure a page or an export shows is passed through `protect`, which applies the
primary rule (too few persons or respondents) and the complementary rule (no small
group may be recovered by subtracting visible figures); survey results also wait for their
round to close (`withheld`). See docs/anonymity.md.
"""

from trivsel.disclosure.comments import visible_comments
from trivsel.disclosure.release import NOT_RELEASED, withheld
from trivsel.disclosure.rules import COMPLEMENTARY, PRIMARY, Protected, protect

__all__ = ["COMPLEMENTARY", "NOT_RELEASED", "PRIMARY", "Protected", "protect", "visible_comments", "withheld"]
