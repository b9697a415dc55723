"""Validates trailcheck's OCSF output (a JSON array on stdin) as OCSF Compliance Finding events.

Two independent checks, both from the pydantic-ocsf package:
1. its Pydantic models of the OCSF schema (required attributes, types, nested objects): every event is
   validated with the ComplianceFinding model, and unknown attribute names anywhere (the models allow and
   keep extras) are errors;
2. the published schema export it bundles (ocsf/schemas/v1_5_0.json): every integer enum attribute the
   events use must hold a value that schema lists (the models mis-resolve some enums, e.g. the finding's
   status_id), and class/category/type ids must agree.
Prints "ok N" and exits 0, or prints every problem and exits 1.
"""
import json
import sys
from pathlib import Path

import ocsf
from pydantic import BaseModel, ValidationError

VERSION = sys.argv[1] if len(sys.argv) > 1 else "1.5.0"
module = VERSION.replace(".", "_")
events = __import__(f"ocsf.v{module}.events", fromlist=["ComplianceFinding"])
objects = __import__(f"ocsf.v{module}.objects", fromlist=["Cloud"])
schema = json.loads((Path(ocsf.__file__).parent / "schemas" / f"v{module}.json").read_text())

problems = []


def extras(model, path, allowed=()):
    """Attribute names the schema does not know, anywhere in a validated model."""
    if isinstance(model, BaseModel):
        if type(model).__name__ == "Object":
            return  # OCSF's free-form object type (e.g. 'unmapped'): any attribute is allowed
        for name in (model.model_extra or {}):
            if name not in allowed:
                problems.append(f"{path}.{name}: not an attribute of {type(model).__name__}")
        for name in type(model).model_fields:
            extras(getattr(model, name), f"{path}.{name}")
    elif isinstance(model, list):
        for i, item in enumerate(model):
            extras(item, f"{path}[{i}]")


def attributes(event_name):
    """An event class's attributes, merged down its 'extends' chain."""
    merged = {}
    chain = []
    name = event_name
    while name:
        cls = schema["events"][name]
        chain.append(cls)
        name = cls.get("extends")
    for cls in reversed(chain):
        for attr, spec in cls["attributes"].items():
            if attr.startswith("$"):
                continue
            merged[attr] = {**merged.get(attr, {}), **spec}
    return merged


def enum_of(spec, attr):
    return spec.get("enum") or schema["dictionary"]["attributes"].get(attr, {}).get("enum")


event_attrs = attributes("compliance_finding")
compliance_attrs = schema["objects"]["compliance"]["attributes"]

data = json.load(sys.stdin)
if not isinstance(data, list) or not data:
    print("expected a non-empty JSON array of events")
    sys.exit(1)

for i, event in enumerate(data):
    where = f"[{i}]"
    cloud = event.get("cloud")
    if "cloud" not in (event.get("metadata", {}).get("profiles") or []):
        problems.append(f"{where}: uses the cloud profile's 'cloud' without declaring it in metadata.profiles")
    try:
        model = events.ComplianceFinding.model_validate(event)
        # 'cloud' belongs to the cloud profile, which the generated model leaves out: validate it apart.
        extras(model, where, allowed=("cloud",) if cloud is not None else ())
        if cloud is not None:
            extras(objects.Cloud.model_validate(cloud), f"{where}.cloud")
    except ValidationError as error:
        problems.append(f"{where}: {error}")
        continue
    for attr, value in event.items():
        spec = event_attrs.get(attr)
        if spec is None and attr != "cloud":
            problems.append(f"{where}.{attr}: not an attribute of compliance_finding {VERSION}")
            continue
        enum = enum_of(spec or {}, attr)
        if enum and attr.endswith("_id") and str(value) not in enum:
            problems.append(f"{where}.{attr}: {value} is not one of {sorted(enum)}")
    status = event.get("compliance", {}).get("status_id")
    allowed = enum_of(compliance_attrs["status_id"], "status_id")
    if status is not None and str(status) not in allowed:
        problems.append(f"{where}.compliance.status_id: {status} is not one of {sorted(allowed)}")
    class_uid = schema["events"]["compliance_finding"]["uid"]
    category_uid = schema["categories_meta"]["attributes"][schema["events"]["finding"]["category"]]["uid"]
    expected_class = category_uid * 1000 + class_uid
    if event.get("class_uid") != expected_class:
        problems.append(f"{where}.class_uid: {event.get('class_uid')} is not {expected_class}")
    if event.get("category_uid") != category_uid:
        problems.append(f"{where}.category_uid: {event.get('category_uid')} is not {category_uid}")
    if event.get("type_uid") != expected_class * 100 + event.get("activity_id", 0):
        problems.append(f"{where}.type_uid: {event.get('type_uid')} does not match class_uid and activity_id")
    if event.get("metadata", {}).get("version") != VERSION:
        problems.append(f"{where}.metadata.version: expected {VERSION}")

if problems:
    print("\n".join(problems))
    sys.exit(1)
print(f"ok {len(data)}")
