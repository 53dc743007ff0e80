"""``flask --app portal cases import FILE.csv``."""

import click


@click.group("cases")
def cases_group() -> None:
    """Work with the cases imported from the case system."""
