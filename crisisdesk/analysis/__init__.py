"""Sentiment, complaint cues, priority, tone checks, spikes, chart series. No Qt, no I/O."""
