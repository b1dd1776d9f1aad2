"""The office heatmap's row labels tell organizations apart (issue #13, point 17): on a phone, names
cut to "光明区…局党组" looked the same. Generated sets of names that share long beginnings and
endings, run through the page's own `labelLines` under Node: distinct names get distinct labels, no
line is longer than the label column holds, and a name that fits is written out whole."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from pathlib import Path

import pytest

RUNNER = Path(__file__).parent / "node" / "heat_labels.mjs"
PREFIXES = ["光明区", "中共深圳市光明区", "深圳市光明区", "中共深圳市光明区某某局机关委员会", ""]
MIDDLES = ["发展和改革", "工业和信息化", "住房和建设", "教育", "卫生健康", "科技创新", "财政", "司法", "某某", "某", "局第一", "局第二"]
SUFFIXES = ["局党组", "局机关党委", "党工委", "第一党支部", "第二党支部（机关党委）", ""]


def labels(cases: list) -> list:
    if not shutil.which("node"):
        pytest.skip("node not found")
    done = subprocess.run(["node", str(RUNNER)], input=json.dumps(cases, ensure_ascii=False), capture_output=True,
                          text=True, timeout=60, check=True)
    return [dict((name, lines) for name, lines in result) for result in json.loads(done.stdout)]


def generated(seed: int, n: int) -> list:
    rng = random.Random(seed)
    cases = []
    for _ in range(n):
        names = set()
        for _ in range(rng.randint(2, 30)):
            name = rng.choice(PREFIXES) + "".join(rng.choice(MIDDLES) for _ in range(rng.randint(0, 3))) + rng.choice(SUFFIXES)
            names.add(name + rng.choice(["", "", "（重复，未计入）", "（重复，计入）"]))
        cases.append({"names": sorted(names), "perLine": rng.choice([11, 18, 5])})
    return cases


def test_distinct_names_get_distinct_labels_within_the_column():
    cases = generated(13, 400) + [{"names": ["光明区发展和改革局党组", "光明区工业和信息化局党组", "光明区住房和建设局党组",
                                             "光明区科技创新局党组"], "perLine": 11}]
    for case, result in zip(cases, labels(cases)):
        per_line = case["perLine"]
        assert set(result) == set(case["names"])
        shown = {"\n".join(lines): name for name, lines in result.items()}
        assert len(shown) == len(result), [k for k in shown]
        for name, lines in result.items():
            assert all(len(line) <= per_line for line in lines), (name, lines)
            if len(name) <= 3 * per_line:
                assert "".join(lines) == name, (name, lines)
    # The example: the four names were all "光明区…局党组"; now each is written out.
    assert all("".join(lines) == name and "…" not in name for name, lines in result.items())
