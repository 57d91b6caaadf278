"""The re-anchoring benchmark runs, and no anchor lands on wrong words."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_after_scripted_revisions_every_anchor_is_on_its_words_or_visibly_orphaned():
    result = subprocess.run(
        [sys.executable, "bench/anchors.py", "--paragraphs", "25", "--anchors", "120",
         "--revisions", "10", "--seed", "5"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip

    assert result.returncode == 0, result.stdout + result.stderr
    assert " 0 on wrong words." in result.stdout
    assert [line.split()[0] for line in result.stdout.splitlines()[2:12]] == [
        str(number) for number in range(1, 11)
    ]
