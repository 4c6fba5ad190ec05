"""The award decision: final scores, the threshold, and one outcome with its reasons per bid."""
