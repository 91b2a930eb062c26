-- Failed-login counters shared by every API process, so that a password guesser gets the same
-- budget whichever process answers. Two kinds of row per client address:
--   username = ''          counts every failed login from the address (stops spraying many usernames);
--   username = <lowercase> counts failures for one username from the address.
-- A username is never empty (the login schema requires one character), so '' cannot collide.
-- Counts are fixed windows: the first failure after window_ends starts a new window.
CREATE TABLE login_failures (
  address text NOT NULL,
  username text NOT NULL,
  failures integer NOT NULL CHECK (failures >= 0),
  window_ends timestamptz NOT NULL,
  PRIMARY KEY (address, username)
);

-- The hourly housekeeping job deletes rows whose window has passed.
CREATE INDEX login_failures_window_ends ON login_failures (window_ends);
