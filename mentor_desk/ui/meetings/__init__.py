"""Scoring meetings: the Meetings page, blind scoring, reveal and compare, consensus, in-room meetings and the
presenter's screen."""
