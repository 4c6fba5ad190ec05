"""The audit of the scores: completeness, consistency, bias, agreement, tone and fragility."""
