"""Shared by the redis-py flows: named steps that print `ok NAME` or `FAIL NAME: error` (the
library's own error text), and the exit status."""
import sys

results = []


def step(name):
    """Runs the decorated function now, as the step `name`."""
    def wrap(fn):
        try:
            fn()
            results.append(f"ok {name}")
        except Exception as e:  # the library's own error text
            results.append(f"FAIL {name}: {type(e).__name__}: {e}")
        return fn
    return wrap


def finish():
    """Prints the steps' lines and exits non-zero when one failed."""
    print("\n".join(results))
    sys.exit(0 if all(x.startswith("ok") for x in results) else 1)
