"""The bids before scoring: their documents and plan sections, validity, exclusion and suitability."""
