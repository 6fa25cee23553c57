"""Uplift metrics of a fitted model: Qini, AUUC, the budget figure and the decile table."""
import pandas as pd


class UpliftEvaluation:
    def __init__(self, report):
        self._report = report

    @property
    def qini(self):
        return self._report["qini_area"], self._report["qini_se"]

    @property
    def auuc(self):
        return self._report["auuc"], self._report["auuc_se"]

    def deciles(self):
        """The decile table as a DataFrame (decile 1: highest predicted uplift)."""
        return pd.DataFrame(self._report["deciles"])
