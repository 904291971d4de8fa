package dev.switchboard.store;

/**
 * What one client key used in the current UTC day and month as the database has it: the cost of
 * its answers (nanos) and how many requests it was admitted for today (refusals before routing
 * are not admissions). Read at start to seed the in-memory limits.
 */
public record KeyUsage(long clientKeyId, long costTodayNanos, long costThisMonthNanos, long requestsToday) {}
