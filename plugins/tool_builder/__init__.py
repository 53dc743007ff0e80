"""The tool builder: bespoke audit tools the QA lead builds, versions and shares without code."""

__version__ = "0.1.0"
