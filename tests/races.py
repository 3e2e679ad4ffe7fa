"""Running calls at once, as two requests do: in two threads on PostgreSQL, released together
by a barrier. SQLite has one writer at a time and no row locks, so there the same calls run one
after the other (tests asserting the outcome hold on both)."""

import threading

from django.core.exceptions import ValidationError
from django.db import connection


def race(*calls):
    """Run `calls` at once and return what each returned or raised, in order."""
    results = [None] * len(calls)
    if connection.vendor != "postgresql":
        for index, call in enumerate(calls):
            try:
                results[index] = call()
            except ValidationError as error:
                results[index] = error
        return results

    def run(index, call, barrier):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as error:  # noqa: BLE001 - the test asserts what each call raised
            results[index] = error
        finally:
            connection.close()

    barrier = threading.Barrier(len(calls))
    threads = [
        threading.Thread(target=run, args=(index, call, barrier))
        for index, call in enumerate(calls)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def refusals(results):
    return [result for result in results if isinstance(result, Exception)]
