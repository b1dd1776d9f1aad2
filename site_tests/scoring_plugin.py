"""pytest plugin: every case in site_tests/scoring_cases/*.yaml becomes a test item (as OpenFisca does).

A case file the strict reader refuses (scoring_cases.load) is a collection error of that file, showing
only the Chinese problems with file:line, not a traceback through the plugin."""

from __future__ import annotations

import pytest

from scorer.errors import InvalidInput
from scorer.scoring import score
from site_tests import scoring_cases


class CaseFile(pytest.File):
    def collect(self):
        try:
            suite = scoring_cases.load(str(self.path))
        except InvalidInput as exc:
            raise self.CollectError(str(exc)) from None
        for case in suite["cases"]:
            yield CaseItem.from_parent(self, name=case["name"], suite=suite, case=case)


class CaseItem(pytest.Item):
    def __init__(self, *, suite, case, **kwargs):
        super().__init__(**kwargs)
        self.suite, self.case = suite, case

    def runtest(self):
        bundle = scoring_cases.bundle_for(self.suite)
        result = score(bundle, scoring_cases.to_assessment(self.case, bundle))
        wrong = scoring_cases.mismatches(result, self.case["expected"])
        if wrong:
            raise CaseFailed(wrong, result)

    def repr_failure(self, excinfo):
        if isinstance(excinfo.value, CaseFailed):
            wrong, result = excinfo.value.args
            return "\n".join(wrong + ["receipt:"] + ["  " + line for line in result["receipt"]])
        return super().repr_failure(excinfo)

    def reportinfo(self):
        return self.path, 0, f"scoring case: {self.name}"


class CaseFailed(Exception):
    pass


def pytest_collect_file(parent, file_path):
    if file_path.suffix == ".yaml" and file_path.parent.name == "scoring_cases":
        return CaseFile.from_parent(parent, path=file_path)
