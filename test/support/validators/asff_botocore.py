"""Validates a BatchImportFindings request body (trailcheck's ASFF output, on stdin) against the
Security Hub service model that botocore ships, with botocore's own client-side parameter validator
(required members, types, minimum lengths, nested shapes, unknown members). Prints "ok N" or every
problem and exits 1."""
import json
import sys

import botocore
import botocore.session
from botocore.validate import ParamValidator

request = json.load(sys.stdin)
model = botocore.session.get_session().get_service_model("securityhub")
shape = model.operation_model("BatchImportFindings").input_shape
report = ParamValidator().validate(request, shape)
if report.has_errors():
    print(report.generate_report())
    sys.exit(1)
print(f"ok {len(request.get('Findings', []))} botocore {botocore.__version__}")
