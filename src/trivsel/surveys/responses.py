"""Raw reads of stored answers: for the views to count and summarise, never for a page to show.

Everything here returns figures about individual responses or small groups. Pages and exports get
survey figures only through src/trivsel/views (disclosure control); tests/test_governance.py lists
this module as raw, so a page that imports it fails the suite.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from trivsel.store import Store

CHOSEN_ROUNDS = "round_id IN (SELECT unnest($rounds::VARCHAR[]))"


def responses_of_rounds(store: Store, round_ids: list[str]) -> pd.DataFrame:
    """One row per response of the given rounds: round_id, response_id, unit_id and one column per numeric
    item (NaN unanswered), the items in id order. Rows come by round, then in storage order (by response_id
    up to the last shuffle_answers, then as answers arrived): for counting only; anything that shows or
    exports rows must sort them by response_id (a random id)."""
    with store.snapshot():  # the answers' row numbers must fit `every`, even if a response arrives meanwhile
        items = [i for (i,) in store.query_all("SELECT DISTINCT item_id FROM survey_answers ORDER BY item_id")]
        every = store.query_df(
            f"SELECT round_id, response_id, unit_id FROM survey_responses WHERE {CHOSEN_ROUNDS} "
            "ORDER BY round_id, rowid",
            {"rounds": round_ids},
        )
        # The answers come as flat numeric arrays (the cell: the item's column and the response's row in
        # `every`; the value), so that millions of answers never become Python objects one by one.
        found = (
            store.cursor()
            .execute(
                f"""WITH r AS (SELECT response_id, row_number() OVER (ORDER BY round_id, rowid) - 1 AS row
                          FROM survey_responses WHERE {CHOSEN_ROUNDS}),
                    i AS (SELECT unnest($items::VARCHAR[]) AS item_id,
                                 generate_subscripts($items::VARCHAR[], 1) - 1 AS col)
               SELECT i.col * $height + r.row AS cell, a.value::DOUBLE AS value
               FROM survey_answers a JOIN r USING (response_id) JOIN i USING (item_id)
               WHERE a.value IS NOT NULL""",
                {"rounds": round_ids, "items": items, "height": len(every)},
            )
            .fetchnumpy()
        )
    wide = np.full(len(items) * len(every), np.nan)
    wide[found["cell"]] = found["value"]
    wide = wide.reshape(len(items), len(every))  # one row per item: the frame below is its transpose, no copy
    answered = ~np.isnan(wide).all(axis=1)  # an item nobody answered in these rounds gets no column
    columns = pd.DataFrame(
        wide[answered].T, columns=[i for i, a in zip(items, answered) if a], index=every.index, copy=False
    )
    return pd.concat([every, columns], axis=1)


def comment_texts(store: Store, round_id: str, item_ids: list[str]) -> pd.DataFrame:
    """Free-text answers to the given items: unit, response (to count who wrote) and text, in text order."""
    return store.query_df(
        """SELECT r.unit_id, r.response_id, a.text FROM survey_answers a JOIN survey_responses r USING (response_id)
           WHERE r.round_id = $round AND a.item_id IN (SELECT unnest($items::VARCHAR[]))
             AND a.text IS NOT NULL AND trim(a.text) <> '' ORDER BY a.text""",
        {"round": round_id, "items": item_ids},
    )


def response_counts(store: Store, round_id: str) -> pd.DataFrame:
    """Per unit of the round: persons employed when it opened and responses so far."""
    return store.query_df(
        """SELECT u.unit_id, u.persons_at_start, count(r.response_id) AS responses
           FROM round_units u LEFT JOIN survey_responses r ON r.round_id = u.round_id AND r.unit_id = u.unit_id
           WHERE u.round_id = ? GROUP BY u.unit_id, u.persons_at_start""",
        [round_id],
    )


def choice_answers(store: Store, round_ids: list[str], item_ids: list[str]) -> pd.DataFrame:
    """The chosen options of the given choice items: round_id, response_id, unit_id, item_id and text (one value,
    or several joined by commas), for counting only."""
    return store.query_df(
        f"""SELECT r.round_id, r.response_id, r.unit_id, a.item_id, a.text
            FROM survey_answers a JOIN survey_responses r USING (response_id)
            WHERE r.{CHOSEN_ROUNDS} AND a.item_id IN (SELECT unnest($items::VARCHAR[])) AND a.text IS NOT NULL
            ORDER BY r.round_id, r.response_id, a.item_id""",
        {"rounds": round_ids, "items": item_ids},
    )
