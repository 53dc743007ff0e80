"""Helpers the tool builder's tests share: the example files, and importing one through
the page as the QA lead does."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

EXAMPLES = Path(__file__).parent.parent / "examples"


def example(name: str = "case_review_dip_sample") -> dict[str, Any]:
    """A fresh copy of the example tool file *name* (without ``.json``)."""
    return copy.deepcopy(json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8")))


def import_file(client, document: object):
    """Post *document* (JSON-ready, or text) to the import page as a pasted tool file."""
    text = document if isinstance(document, str) else json.dumps(document)
    return client.post_form("/tool_builder/import", {"tool_json": text})
