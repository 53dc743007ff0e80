"""The reviews' pages, by area; each module adds its routes to the plugin's one blueprint
(``blueprint.bp``), and ``plugin`` imports them all. The family conversations' pages are
``views_family``.
"""
