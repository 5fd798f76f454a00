#!/usr/bin/env python3
"""Regenerates test/fixtures/programs/expected/*.json with the independent oracle.

    python3 scripts/regenerate-expected.py [NAME_PREFIX...]

Each program runs under test/oracle/native_vclock.py (this machine's python3, CPython 3.11.7
when the files were committed) with an empty stdin and the programs folder as cwd. The file
records {stdout, stderr, exit_code, virtual_time, deadlock}, normalised as the differential test
normalises engine output (test/unit/differential.test.ts, `normalise`): the programs folder
prefix is dropped from paths, the standard library folder becomes `<stdlib>/`, and 0x addresses
become `0x...`. For a deadlock, `stderr` holds only the program's own part (the oracle's report
is engine-specific wording) and `deadlock` lists the waiting tasks' names.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROGRAMS = os.path.join(ROOT, "test", "fixtures", "programs")
EXPECTED = os.path.join(PROGRAMS, "expected")
ORACLE = os.path.join(ROOT, "test", "oracle", "native_vclock.py")
ADDR = re.compile(r"\b0x[0-9a-fA-F]+\b")
STDLIB = re.compile(r"(?:/[^\s\"'<>()]*?)?/lib/python3\.?\d+(?:\.zip)?/")
DEADLOCK_HEADER = "deadlock: nothing is ready"


def normalise(text):
    text = text.replace(PROGRAMS + os.sep, "")
    text = STDLIB.sub("<stdlib>/", text)
    return ADDR.sub("0x...", text)


def run_one(name):
    fd, time_json = tempfile.mkstemp(suffix=".json")
    os.close(fd)
    try:
        proc = subprocess.run(
            [sys.executable, ORACLE, "--time-json", time_json, os.path.join(PROGRAMS, name)],
            cwd=PROGRAMS, stdin=subprocess.DEVNULL, capture_output=True, timeout=60,
        )
        with open(time_json) as f:
            report = json.load(f)
    finally:
        os.unlink(time_json)
    stderr = proc.stderr.decode("utf-8")
    deadlock = None
    if "deadlock" in report:
        stderr = stderr[: stderr.index(DEADLOCK_HEADER)]
        deadlock = {"waiting": report["deadlock"]}
    return {
        "stdout": normalise(proc.stdout.decode("utf-8")),
        "stderr": normalise(stderr),
        "exit_code": proc.returncode,
        "virtual_time": round(report["virtual_time"], 6),
        "deadlock": deadlock,
    }


def main(prefixes):
    os.makedirs(EXPECTED, exist_ok=True)
    # Files starting with "_" are helpers the programs import or read, not programs.
    names = sorted(n for n in os.listdir(PROGRAMS)
                   if n.endswith(".py") and not n.startswith("_") and n.startswith(tuple(prefixes) or ""))
    for name in names:
        result = run_one(name)
        with open(os.path.join(EXPECTED, name[:-3] + ".json"), "w", encoding="utf-8") as f:
            json.dump(result, f, ensure_ascii=False, indent=1)
            f.write("\n")
        print("%-45s exit %3d  t=%g" % (name, result["exit_code"], result["virtual_time"]))
    print("%d expected files written (python %s)" % (len(names), sys.version.split()[0]))


if __name__ == "__main__":
    main(sys.argv[1:])
