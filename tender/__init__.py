"""tender: run a public tender evaluation from bids received to award letters sent."""

__version__ = "0.1.0"
