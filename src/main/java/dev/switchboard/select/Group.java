package dev.switchboard.select;

import java.util.List;

/** An exposed model name and its failover tiers, the first tier with a usable target wins. */
record Group(String name, List<Tier> tiers) {}
