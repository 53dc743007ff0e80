"""Learning followed to its effect: the learning themes of a month given an owner and a
record of what changed, shown in later monthly reports until closed."""
