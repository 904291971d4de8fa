package dev.switchboard.admin;

/** Who is calling: the user behind a valid access token, with the role the database holds now. */
record Principal(long userId, String username, Role role, String sessionId) {}
