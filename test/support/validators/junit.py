"""Parses trailcheck's JUnit XML (on stdin) with junitparser, the parser of the
publish-unit-test-result GitHub action, and prints what a CI dashboard would see, as JSON:
per suite, per case, the result kind (passed, failure, error, skipped) and its message."""
import json
import sys

from junitparser import Error, Failure, JUnitXml, Skipped

xml = JUnitXml.fromstring(sys.stdin.buffer.read())
suites = []
for suite in xml:
    cases = []
    for case in suite:
        kinds = []
        for result in case.result:
            kind = {Failure: "failure", Error: "error", Skipped: "skipped"}.get(type(result), type(result).__name__)
            kinds.append({"kind": kind, "message": result.message, "type": result.type, "text": result.text})
        cases.append({"classname": case.classname, "name": case.name, "results": kinds})
    suites.append({
        "name": suite.name,
        "tests": suite.tests,
        "failures": suite.failures,
        "errors": suite.errors,
        "skipped": suite.skipped,
        "cases": cases,
    })
print(json.dumps({"tests": xml.tests, "failures": xml.failures, "errors": xml.errors, "skipped": xml.skipped, "suites": suites}))
