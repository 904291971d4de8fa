package dev.switchboard.admin;

/** What a management action answers: a status and a JSON body (null for 204). */
record Reply(int status, Object body) {

  static Reply ok(Object body) {
    return new Reply(200, body);
  }

  static Reply created(Object body) {
    return new Reply(201, body);
  }

  static Reply noContent() {
    return new Reply(204, null);
  }
}
