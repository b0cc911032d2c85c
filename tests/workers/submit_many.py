"""Submit N surveys from many threads through the code path the answering page uses.

Prints "ack <marker>" after each submission's transaction committed, so a parent process
that kills this one knows exactly which submissions were acknowledged.
"""

import sys
import threading
from datetime import date

from trivsel import config
from trivsel.store import open_store
from trivsel.surveys import rounds
from trivsel.surveys.definitions import load_all


def main(db: str, label: str, count: int, threads: int) -> None:
    store = open_store(db)
    survey = load_all(config.surveys_dir())["trivsel"]
    rnd = rounds.find_round(store, "trivsel", label)
    answers = {i.id: 3 for i in survey.items if i.type in ("who5", "likert5")} | {"enps": 7}
    lock = threading.Lock()
    todo = iter(range(count))

    def work():
        while True:
            with lock:
                n = next(todo, None)
            if n is None:
                return
            marker = f"crash-{n:04d}"
            rounds.submit(store, rnd, "U", survey, {**answers, "comment": marker}, date.today())
            with lock:
                print(f"ack {marker}", flush=True)

    workers = [threading.Thread(target=work) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    print("done", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
