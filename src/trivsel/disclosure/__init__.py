"""Disclosure control: the only way an aggregate leaves the domain layer.

Every figure a page or an export shows is passed through `protect`, which applies the
primary rule (too few persons or respondents) and the complementary rule (no small
group may be recovered by subtracting visible figures). See README "Anonymitet".
"""

from trivsel.disclosure.comments import visible_comments
from trivsel.disclosure.rules import COMPLEMENTARY, PRIMARY, Protected, protect

__all__ = ["COMPLEMENTARY", "PRIMARY", "Protected", "protect", "visible_comments"]
