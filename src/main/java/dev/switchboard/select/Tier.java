package dev.switchboard.select;

import java.util.List;

/** Candidates that share one strategy; {@code key} names the tier in per-edge state. */
record Tier(String key, Strategy strategy, List<Candidate> candidates) {}
