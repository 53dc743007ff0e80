"""The audit processes shipped with the portal, one package each, found through entry points."""
