#!/usr/bin/env python3
"""Prepares the server's OpenAPI document for the SDK generators (standard library only).

    openapi_prepare.py normalize RAW OUT   the committed sdk/openapi.json: keys sorted,
                                           operationIds made unique, binary bodies typed
    openapi_prepare.py python IN OUT       the Python generator's input (see `for_python`)
    openapi_prepare.py routes IN           every `METHOD /path`, one a line, sorted

The server already gives each operation its own operationId (a handler name several routes
share carries its tag: `tokens_list`, `agents_list`) and types bodies of bytes as
`{type: string, format: binary}`. This step keeps both true for the generators whatever the
server sends: a repeated operationId becomes `<tag>_<operationId>` (openapi-typescript's
`operations` map keeps one entry per name), and `*/*` or `application/octet-stream` bodies
become binary, which both generators read as bytes.
"""

import collections
import copy
import json
import sys

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def operations(document):
    for path, item in document.get("paths", {}).items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def snake(text):
    return "".join(c if c.isalnum() else "_" for c in text).lower()


BINARY = {"type": "string", "format": "binary"}


def normalize(document):
    document = copy.deepcopy(document)
    counts = collections.Counter(op.get("operationId") for _, _, op in operations(document))
    seen = set()
    for path, method, op in operations(document):
        name = op.get("operationId")
        if name is None or counts[name] > 1:
            tags = op.get("tags") or ["api"]
            name = f"{snake(tags[0])}_{snake(name or method)}"
            op["operationId"] = name
        if name in seen:
            raise SystemExit(f"operationId {name!r} ({method.upper()} {path}) is still not unique")
        seen.add(name)
        bodies = [op.get("requestBody", {})] + list(op.get("responses", {}).values())
        for body in bodies:
            for media_type, content in body.get("content", {}).items():
                if media_type in ("*/*", "application/octet-stream"):
                    content["schema"] = dict(BINARY)
    return document


def for_python(document):
    """Works around an openapi-python-client 0.29 bug: an optional map (`type: [object, null]`
    with `additionalProperties`) inside an inline `oneOf` variant is registered twice across
    the generator's passes ("duplicate models"), and the whole variant is dropped (the
    `http_request` agent step). Such a map moves to its own component schema."""
    document = copy.deepcopy(document)
    schemas = document.get("components", {}).get("schemas", {})
    for schema_name in sorted(schemas):
        for variant in schemas[schema_name].get("oneOf", []):
            for prop_name, prop in sorted(variant.get("properties", {}).items()):
                types = prop.get("type")
                if not (isinstance(types, list) and "object" in types and "null" in types
                        and "additionalProperties" in prop):
                    continue
                hoisted = {k: v for k, v in prop.items() if k != "type"}
                hoisted["type"] = "object"
                new_name = schema_name + "".join(part.title() for part in prop_name.split("_"))
                if new_name in schemas:
                    raise SystemExit(f"cannot hoist {schema_name}.{prop_name}: {new_name} exists")
                schemas[new_name] = hoisted
                variant["properties"][prop_name] = {
                    "oneOf": [{"type": "null"}, {"$ref": f"#/components/schemas/{new_name}"}],
                }
    return document


def write(document, path):
    with open(path, "w", encoding="utf-8") as out:
        json.dump(document, out, indent=2, sort_keys=True, ensure_ascii=False)
        out.write("\n")


def main(argv):
    if len(argv) == 4 and argv[1] in ("normalize", "python"):
        with open(argv[2], encoding="utf-8") as source:
            document = json.load(source)
        write(normalize(document) if argv[1] == "normalize" else for_python(document), argv[3])
    elif len(argv) == 3 and argv[1] == "routes":
        with open(argv[2], encoding="utf-8") as source:
            document = json.load(source)
        for line in sorted(f"{m.upper()} {p}" for p, m, _ in operations(document)):
            print(line)
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
