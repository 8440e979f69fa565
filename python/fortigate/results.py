"""Result containers that convert to pandas without requiring it."""


class Records(list):
    """A list of dicts (one per session, packet, run, ...) with ``to_dataframe()``.

    ``to_dataframe()`` needs pandas (Debian ``python3-pandas``); everything else works without.
    """

    def to_dataframe(self):
        """These records as a pandas DataFrame (one row per record)."""
        try:
            import pandas
        except ImportError:
            raise ImportError("to_dataframe() needs pandas (apt-get install python3-pandas)") \
                from None
        return pandas.DataFrame(list(self))

    def column(self, key, default=None):
        """The values of ``key`` in every record (``default`` where it is missing)."""
        return [r.get(key, default) for r in self]
