#!/usr/bin/env python3
"""Sums the TRX result files of every test project into one line: 'N passed, N failed[, N skipped]'.

dotnet test prints one summary per project; CI reads a single closing line. Exits 1 when any test
failed or when no result file exists (a build that ran no tests is not a pass).
"""
import glob
import sys
import xml.etree.ElementTree as ET

NS = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}

def main(results_dir: str) -> int:
    files = sorted(glob.glob(f"{results_dir}/**/*.trx", recursive=True))
    passed = failed = skipped = 0
    for path in files:
        counters = ET.parse(path).getroot().find("t:ResultSummary/t:Counters", NS)
        passed += int(counters.get("passed", 0))
        failed += int(counters.get("failed", 0)) + int(counters.get("error", 0)) + int(counters.get("timeout", 0)) + int(counters.get("aborted", 0))
        skipped += int(counters.get("notExecuted", 0))
    if not files:
        failed += 1
        print("no test results found", file=sys.stderr)
    line = f"{passed} passed, {failed} failed"
    if skipped:
        line += f", {skipped} skipped"
    print(line)
    return 1 if failed or not files else 0

if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "artifacts/test-results"))
