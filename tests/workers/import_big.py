"""Import a large absence file; prints "validated" before the write starts and "imported" after."""

import sys
from pathlib import Path

from trivsel.imports.absence import import_absence, validate_absence
from trivsel.store import open_store

if __name__ == "__main__":
    store = open_store(sys.argv[1])
    data = Path(sys.argv[2]).read_bytes()
    validate_absence(store, data)
    print("validated", flush=True)
    import_absence(store, data, actor="crash-test")
    print("imported", flush=True)
